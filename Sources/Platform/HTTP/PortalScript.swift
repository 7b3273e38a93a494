/// The portal's one script, served as `/static/portal.js` (the pages' policy allows no
/// inline script): Copy buttons, and the "LAN device" channel, which asks `reclaim helper`
/// on this computer (127.0.0.1) for the devices on the LAN and for the chosen one's
/// challenge, with the pairing code the page shows. Without it the pages still work: the
/// key can be selected by hand, and the QR code exported on site uploaded instead.
enum PortalScript {
    static let text = """
        document.querySelectorAll('[data-copy]').forEach(function (button) {
          var field = document.getElementById(button.dataset.copy);
          if (!field) return;
          button.hidden = false;
          button.addEventListener('click', function () {
            var done = function () { button.textContent = button.dataset.copied; };
            var byHand = function () {
              // Older browsers, or a clipboard the page may not write: select and copy.
              field.select();
              document.execCommand('copy');
              done();
            };
            if (navigator.clipboard && window.isSecureContext) {
              navigator.clipboard.writeText(field.value).then(done, byHand);
            } else {
              byHand();
            }
          });
        });

        (function () {
          var lan = document.getElementById('lan-helper');
          if (!lan) return;
          var code = sessionStorage.getItem('reclaim-pairing') || lan.dataset.pairing;
          sessionStorage.setItem('reclaim-pairing', code);
          document.getElementById('pairing-code').textContent = code;
          var base = 'http://127.0.0.1:' + lan.dataset.port;
          var status = document.getElementById('helper-status');
          var table = document.getElementById('lan-devices');
          var search = document.getElementById('lan-search');
          var devices = [];
          var ask = function (path, method) {
            return fetch(base + path, { method: method, headers: { 'Authorization': 'Pairing ' + code } }).then(function (r) {
              return r.json().then(function (body) { if (!r.ok) { throw { status: r.status, body: body }; } return body; });
            });
          };
          var render = function () {
            var part = search.value.trim().toUpperCase();
            table.textContent = '';
            devices.filter(function (d) { return d.serial.toUpperCase().indexOf(part) >= 0; }).forEach(function (d) {
              var row = table.insertRow();
              row.insertCell().textContent = d.model;
              row.insertCell().textContent = d.serial;
              row.insertCell().textContent = d.address;
              var button = document.createElement('button');
              button.type = 'button';
              button.id = 'pick-' + d.serial;
              button.textContent = lan.dataset.choose;
              button.addEventListener('click', function () { pick(d.serial); });
              row.insertCell().appendChild(button);
            });
          };
          var pick = function (serial) {
            ask('/devices/' + encodeURIComponent(serial) + '/challenge', 'POST').then(function (answer) {
              document.getElementById('challenge').value = answer.challenge;
              document.getElementById('channel-lan').checked = true;
              document.getElementById('picked').textContent = serial;
            }, function (failure) {
              // The helper's English "error" is for scripts; the page says it in its own language.
              var code = failure && failure.body && failure.body.code;
              status.textContent = !failure || !failure.status ? lan.dataset.missing
                : lan.dataset[{ deviceNotFound: 'notfound', noAnswer: 'noanswer', locked: 'locked' }[code] || 'nochallenge'];
            });
          };
          var load = function () {
            ask('/devices', 'GET').then(function (answer) {
              devices = answer.devices;
              status.textContent = lan.dataset.found;
              render();
            }, function (failure) {
              status.textContent = failure && failure.status === 401 ? lan.dataset.unpaired : lan.dataset.missing;
              setTimeout(load, 3000);
            });
          };
          search.addEventListener('input', render);
          load();
        })();
        """
}
