/// The portal's one script, served as `/static/portal.js` (the pages' policy allows no
/// inline script): Copy buttons. Without it the page still works; the button stays hidden
/// and the key can be selected by hand.
enum PortalScript {
    static let text = """
        document.querySelectorAll('[data-copy]').forEach(function (button) {
          var field = document.getElementById(button.dataset.copy);
          if (!field) return;
          button.hidden = false;
          button.addEventListener('click', function () {
            var done = function () { button.textContent = button.dataset.copied; };
            if (navigator.clipboard && window.isSecureContext) {
              navigator.clipboard.writeText(field.value).then(done);
            } else {
              field.select();
              document.execCommand('copy');
              done();
            }
          });
        });
        """
}
