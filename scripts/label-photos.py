#!/usr/bin/env python3
"""Makes a corpus of label photos as people take them, from clean label pictures.

    label-photos.py CLEAN_DIR OUT_DIR [--photos 500] [--seed 1]

CLEAN_DIR holds PNG labels (as `reclaim-device label --png` draws them) and a
`labels.json`: [{"file": "x.png", "serial": "...", "verificationCode": "..."}].
OUT_DIR gets JPEG photos and `manifest.json`: one entry a photo with what it shows
(`serial` and `verificationCode`, or null for a photo that is not a label) and the
distortions applied. 5% of the photos are not labels at all.

Each label photo: the sticker on a surface, turned up to ±35°, seen at an angle
(perspective), blurred, with a glare spot, sensor noise, in low light, saved as a JPEG of
quality 40 to 95. Deterministic for a given seed.
"""
import argparse
import json
import os
import random

from PIL import Image, ImageChops, ImageDraw, ImageFilter


def perspective_coefficients(source, target):
    """The 8 coefficients PIL's PERSPECTIVE transform wants, mapping target corners to source ones."""
    matrix = []
    vector = []
    for (x, y), (u, v) in zip(target, source):
        matrix.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        matrix.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        vector += [u, v]
    # Solve the 8×8 system by Gaussian elimination (no numpy needed).
    n = 8
    rows = [matrix[i] + [vector[i]] for i in range(n)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col])]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def surface(rng, size):
    """A table, a wall or a device housing: a gradient with some texture."""
    base = rng.randint(60, 200)
    picture = Image.new("L", size, base)
    draw = ImageDraw.Draw(picture)
    for _ in range(rng.randint(3, 12)):
        x, y = rng.randint(0, size[0]), rng.randint(0, size[1])
        r = rng.randint(20, 300)
        shade = max(0, min(255, base + rng.randint(-50, 50)))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=shade)
    return picture.filter(ImageFilter.GaussianBlur(rng.uniform(8, 30)))


def label_photo(rng, label):
    details = {}
    width, height = 1280, 960
    photo = surface(rng, (width, height))
    # The sticker's size in the photo: from a close-up to a step back.
    scale = rng.uniform(0.75, 1.6)
    details["scale"] = round(scale, 2)
    sticker = label.convert("L").resize((int(label.width * scale), int(label.height * scale)), Image.BILINEAR)
    # Paper is not pure white, ink not pure black.
    paper, ink = rng.randint(200, 250), rng.randint(10, 60)
    sticker = sticker.point(lambda v: ink + (paper - ink) * v // 255)
    angle = rng.uniform(-35, 35)
    details["rotation"] = round(angle, 1)
    mask = Image.new("L", sticker.size, 255)
    sticker = sticker.rotate(angle, resample=Image.BICUBIC, expand=True)
    mask = mask.rotate(angle, resample=Image.BICUBIC, expand=True)
    x = rng.randint(0, max(0, width - sticker.width))
    y = rng.randint(0, max(0, height - sticker.height))
    photo.paste(sticker, (x, y), mask)
    # Seen at an angle: each corner moved by up to 8% of the frame.
    jitter = rng.uniform(0, 0.08)
    details["perspective"] = round(jitter, 3)
    corners = [(0, 0), (width, 0), (width, height), (0, height)]
    moved = [(cx + rng.uniform(-jitter, jitter) * width, cy + rng.uniform(-jitter, jitter) * height) for cx, cy in corners]
    photo = photo.transform(photo.size, Image.PERSPECTIVE, perspective_coefficients(moved, corners), Image.BICUBIC, fillcolor=90)
    blur = rng.choice([0, 0, rng.uniform(0.3, 1.2), rng.uniform(1.0, 2.0)])
    details["blur"] = round(blur, 2)
    if blur:
        photo = photo.filter(ImageFilter.GaussianBlur(blur))
    if rng.random() < 0.4:
        # A glare spot: a bright soft ellipse somewhere on the sticker.
        glare = Image.new("L", photo.size, 0)
        gx, gy = x + rng.randint(0, max(1, sticker.width)), y + rng.randint(0, max(1, sticker.height))
        gr = rng.randint(40, 160)
        ImageDraw.Draw(glare).ellipse([gx - gr, gy - gr // 2, gx + gr, gy + gr // 2], fill=rng.randint(120, 230))
        glare = glare.filter(ImageFilter.GaussianBlur(gr / 3))
        photo = Image.composite(Image.new("L", photo.size, 255), photo, glare)
        details["glare"] = gr
    light = rng.choice([1.0, 1.0, rng.uniform(0.45, 0.9), rng.uniform(0.25, 0.45)])
    details["light"] = round(light, 2)
    sigma = rng.choice([0, rng.uniform(2, 8), rng.uniform(8, 14)])
    details["noise"] = round(sigma, 1)
    if sigma:
        # effect_noise is centred on 128: add its deviation.
        photo = ImageChops.add(photo, Image.effect_noise(photo.size, sigma), scale=1.0, offset=-128)
    photo = photo.point(lambda v: int(v * light))
    return photo, details


def not_a_label(rng):
    """Something else people upload: a wall, a screen, a receipt, stripes."""
    photo = surface(rng, (1280, 960))
    draw = ImageDraw.Draw(photo)
    for _ in range(rng.randint(0, 40)):
        x, y = rng.randint(0, 1280), rng.randint(0, 960)
        draw.rectangle([x, y, x + rng.randint(4, 200), y + rng.randint(4, 120)], fill=rng.randint(0, 255))
    if rng.random() < 0.5:
        # Stripes, like a barcode that isn't one.
        for i in range(rng.randint(10, 60)):
            x = 300 + i * rng.randint(3, 9)
            draw.rectangle([x, 400, x + rng.randint(1, 4), 520], fill=0)
    return photo.filter(ImageFilter.GaussianBlur(rng.uniform(0, 2)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("clean")
    parser.add_argument("out")
    parser.add_argument("--photos", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with open(os.path.join(args.clean, "labels.json")) as f:
        labels = json.load(f)
    os.makedirs(args.out, exist_ok=True)
    manifest = []
    others = max(1, args.photos // 20)
    kinds = ["label"] * (args.photos - others) + ["other"] * others
    rng.shuffle(kinds)
    for index, kind in enumerate(kinds):
        name = f"photo-{index:04d}.jpg"
        if kind == "label":
            entry = labels[index % len(labels)]
            photo, details = label_photo(rng, Image.open(os.path.join(args.clean, entry["file"])))
            expected = {"serial": entry["serial"], "verificationCode": entry["verificationCode"]}
        else:
            photo, details, expected = not_a_label(rng), {}, None
        quality = rng.randint(40, 95)
        details["jpegQuality"] = quality
        photo.save(os.path.join(args.out, name), "JPEG", quality=quality)
        manifest.append({"file": name, "expected": expected, "distortions": details})
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"{len(manifest)} photos in {args.out} ({others} not labels)")


if __name__ == "__main__":
    main()
