#include <zbar.h>
#include <png.h>
#include <turbojpeg.h>
