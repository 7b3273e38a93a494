/// The owner app's pages and the installer portal's "Sites and devices".
enum OwnerTemplates {
    static let templates: [String: String] = [
        "sites": """
        {{<layout}}{{$content}}
        <p class="hint">{{t.sitesIntro}} <strong id="company-code">{{companyId}}</strong></p>
        {{#sites}}<section class="card site"><h2>{{name}}</h2>
        <table class="devices"><tr><th>{{t.deviceName}}</th><th>{{t.deviceSerial}}</th><th>{{t.deviceState}}</th><th></th></tr>
        {{#devices}}<tr id="device-{{serial}}"><td>{{name}}</td><td>{{serial}}</td><td class="{{#online}}online{{/online}}{{^online}}offline{{/online}}">{{onlineText}}{{#since}} · {{t.deviceSince}} {{since}}{{/since}}</td>
        <td>{{#mayReset}}<a href="/sites/devices/{{serial}}/reset" class="reset-link">{{t.resetDevicePassword}}</a>{{/mayReset}}</td></tr>{{/devices}}
        </table></section>{{/sites}}
        {{^sites}}<p class="hint" id="no-sites">{{t.sitesNone}}</p>{{/sites}}
        <h2>{{t.resetRequestsTitle}}</h2>
        <table id="reset-requests">{{#requests}}<tr><td><a href="/sites/requests/{{id}}">{{id}}</a></td><td>{{model}} {{serial}}</td><td>{{mode}}</td><td class="state-{{stateValue}}">{{state}}</td></tr>{{/requests}}</table>
        {{/content}}{{/layout}}
        """,
        "reset-ask": """
        {{<layout}}{{$content}}
        <section class="card"><p>{{t.deviceName}}: {{model}} <span id="reset-serial">{{serial}}</span></p>
        <p>{{t.deviceState}}: {{onlineText}}</p></section>
        <form class="card" method="post" action="/sites/devices/{{serial}}/reset">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <fieldset><legend>{{t.resetModeChoose}}</legend>
        <label><input type="radio" name="mode" value="off-site" id="mode-off-site" checked style="display:inline;width:auto"> {{t.resetMode.off-site}}</label>
        <p class="hint">{{t.resetModeHint.off-site}}</p>
        <label><input type="radio" name="mode" value="on-site" id="mode-on-site" style="display:inline;width:auto"> {{t.resetMode.on-site}}</label>
        <p class="hint">{{t.resetModeHint.on-site}}</p>
        </fieldset>
        <button id="reset-ask">{{t.resetAsk}}</button>
        </form>
        {{/content}}{{/layout}}
        """,
        "reset-request": """
        {{<layout}}{{$content}}
        {{#sent}}<section class="notice" id="request-sent"><p><strong>{{sent}}</strong></p></section>{{/sent}}
        <section class="card" id="reset-request" data-state="{{stateValue}}" data-expires="{{expiresAt}}">
        <p>{{t.caseState}}: <strong id="reset-state" class="state-{{stateValue}}">{{state}}</strong></p>
        <p>{{t.deviceName}}: {{model}} {{serial}} · {{mode}}</p>
        {{#open}}<p>{{t.resetExpires}} {{expires}} · <span id="countdown"></span></p>{{/open}}
        {{#failure}}<p class="error" id="reset-failure">{{failure}}</p>{{/failure}}
        </section>
        {{#pending}}<form method="post" action="/sites/requests/{{id}}/cancel"><input type="hidden" name="csrf" value="{{csrf}}">
        <button id="reset-cancel">{{t.resetCancel}}</button></form>{{/pending}}
        <script src="/static/owner.js" defer></script>
        {{/content}}{{/layout}}
        """,
        "app": """
        {{<layout}}{{$content}}
        <link rel="manifest" href="/app/manifest.webmanifest">
        <section id="services"><h2>{{t.appServices}}</h2>
        {{#pending}}<p class="notice"><a href="/app/requests/{{id}}" id="request-{{id}}">{{t.resetDevicePassword}}: {{company}} · {{model}} {{serial}} · {{mode}}</a></p>{{/pending}}
        {{^pending}}<p class="hint" id="no-requests">{{t.appNoRequests}}</p>{{/pending}}
        </section>
        {{#sites}}<section class="card site" id="site-{{id}}"><h2>{{name}}</h2>
        <ul class="devices">{{#devices}}<li id="device-{{serial}}">{{name}} · {{serial}} · <span class="{{#online}}online{{/online}}{{^online}}offline{{/online}}">{{onlineText}}</span></li>{{/devices}}</ul>
        <h3>{{t.appShares}}</h3>
        <ul>{{#shares}}<li>{{company}} <form method="post" action="/app/shares/{{id}}/revoke" style="display:inline"><input type="hidden" name="csrf" value="{{csrf}}"><button class="revoke">{{t.appRevoke}}</button></form></li>{{/shares}}</ul>
        <form method="post" action="/app/sites/{{id}}/shares" class="share-form"><input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.appCompanyCode}}<input name="company" required autocomplete="off"></label>
        <label><input type="checkbox" name="mayReset" value="true" checked style="display:inline;width:auto"> {{t.appMayReset}}</label>
        <button class="share">{{t.appShare}}</button></form>
        </section>{{/sites}}
        <form class="card" method="post" action="/app/devices" id="add-device"><h2>{{t.appAddDevice}}</h2>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.deviceSerial}}<input name="serial" id="add-serial" required autocomplete="off"></label>
        <label>{{t.appLabelCode}}<input name="code" id="add-code" required autocomplete="off"></label>
        <label>{{t.deviceName}}<input name="name" id="add-name"></label>
        <label>{{t.appSite}}<select name="site" id="add-site">{{#siteChoices}}<option value="{{id}}">{{name}}</option>{{/siteChoices}}<option value="new">{{t.appNewSite}}</option></select></label>
        <label>{{t.appNewSiteName}}<input name="siteName" id="add-site-name"></label>
        <button id="add-submit">{{t.appAdd}}</button>
        </form>
        {{/content}}{{/layout}}
        """,
        "app-request": """
        {{<layout}}{{$content}}
        <section class="card" id="reset-request" data-state="{{stateValue}}" data-expires="{{expiresAt}}">
        <p><strong>{{t.resetDevicePassword}}</strong></p>
        <p>{{t.resetWho}}: {{asker}}, <span id="request-company">{{company}}</span></p>
        <p>{{t.deviceName}}: {{model}} <span id="request-serial">{{serial}}</span></p>
        <p>{{mode}}: {{modeHint}}</p>
        <p>{{t.caseState}}: <strong id="reset-state" class="state-{{stateValue}}">{{state}}</strong></p>
        {{#open}}<p>{{t.resetExpires}} {{expires}} · <span id="countdown"></span></p>{{/open}}
        {{#failure}}<p class="error" id="reset-failure">{{failure}}</p>{{/failure}}
        </section>
        {{#pending}}
        <form class="card" method="post" action="/app/requests/{{id}}/approve" id="approve-form" data-serial="{{serial}}" data-device-key="{{deviceKey}}" data-min-length="{{minLength}}" data-mismatch="{{t.passwordsDiffer}}" data-short="{{policy}}" data-nocrypto="{{t.resetNoCrypto}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="sealed" id="sealed">
        <p class="hint">{{policy}}</p>
        <label>{{t.resetNewPassword}}<input type="password" id="new-password" autocomplete="new-password" required></label>
        <label>{{t.resetNewPasswordAgain}}<input type="password" id="new-password-again" autocomplete="new-password" required></label>
        <p class="error" id="approve-error" role="alert"></p>
        <p class="hint">{{t.resetEncrypted}}</p>
        <button id="approve">{{t.resetApprove}}</button>
        </form>
        <form method="post" action="/app/requests/{{id}}/decline"><input type="hidden" name="csrf" value="{{csrf}}"><button id="decline">{{t.resetDecline}}</button></form>
        {{/pending}}
        <script src="/static/owner.js" defer></script>
        {{/content}}{{/layout}}
        """,
    ]
}

/// The owner app's script (`/static/owner.js`) and its web app manifest.
///
/// The approval form seals the new password to the device's X25519 key with WebCrypto
/// (X25519, HKDF-SHA256, AES-256-GCM, as `SealedPassword` in ReclaimCore) and posts only the
/// sealed bytes: the password fields have no name, so the browser never sends them.
/// Request pages count down to the expiry and reload while the request is open, so both
/// sides see the outcome without reloading by hand.
enum OwnerScript {
    static let text = """
        (function () {
          var box = document.getElementById('reset-request');
          if (box && (box.dataset.state === 'pending' || box.dataset.state === 'approved')) {
            var countdown = document.getElementById('countdown');
            var expires = Number(box.dataset.expires) * 1000;
            var tick = function () {
              var left = Math.max(0, Math.floor((expires - Date.now()) / 1000));
              var h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
              if (countdown) countdown.textContent = (h ? h + ':' : '') + String(m).padStart(2, '0') + ':' + String(s).padStart(2, '0');
            };
            tick();
            setInterval(tick, 1000);
            // Live: look again every two seconds until the request ends (the form keeps its input).
            if (!document.getElementById('approve-form')) setInterval(function () { location.reload(); }, 2000);
          }

          var form = document.getElementById('approve-form');
          if (!form) return;
          var bytes = function (text) { return new TextEncoder().encode(text); };
          var fromBase64 = function (text) { return Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); }); };
          var toBase64 = function (array) { var s = ''; array.forEach(function (b) { s += String.fromCharCode(b); }); return btoa(s); };
          var concat = function () {
            var parts = Array.prototype.slice.call(arguments), length = 0, offset = 0;
            parts.forEach(function (p) { length += p.length; });
            var out = new Uint8Array(length);
            parts.forEach(function (p) { out.set(p, offset); offset += p.length; });
            return out;
          };
          var seal = async function (password) {
            var serial = bytes(form.dataset.serial);
            var deviceRaw = fromBase64(form.dataset.deviceKey);
            var device = await crypto.subtle.importKey('raw', deviceRaw, { name: 'X25519' }, false, []);
            var ephemeral = await crypto.subtle.generateKey({ name: 'X25519' }, true, ['deriveBits']);
            var ephemeralRaw = new Uint8Array(await crypto.subtle.exportKey('raw', ephemeral.publicKey));
            var shared = await crypto.subtle.deriveBits({ name: 'X25519', public: device }, ephemeral.privateKey, 256);
            var hkdf = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
            var key = await crypto.subtle.deriveKey(
              { name: 'HKDF', hash: 'SHA-256', salt: serial, info: concat(bytes('reclaim owner password v1'), ephemeralRaw, deviceRaw) },
              hkdf, { name: 'AES-GCM', length: 256 }, false, ['encrypt']);
            var nonce = crypto.getRandomValues(new Uint8Array(12));
            var sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: serial }, key, bytes(password)));
            return toBase64(concat(ephemeralRaw, nonce, sealed));
          };
          form.addEventListener('submit', function (event) {
            event.preventDefault();
            var first = document.getElementById('new-password'), second = document.getElementById('new-password-again');
            var error = document.getElementById('approve-error');
            if (first.value !== second.value) { error.textContent = form.dataset.mismatch; return; }
            if (first.value.length < Number(form.dataset.minLength)) { error.textContent = form.dataset.short; return; }
            seal(first.value).then(function (sealed) {
              document.getElementById('sealed').value = sealed;
              first.value = '';
              second.value = '';
              form.submit();
            }, function () { error.textContent = form.dataset.nocrypto; });
          });
        })();
        """

    static let manifest = """
        {"name": "Reclaim", "short_name": "Reclaim", "start_url": "/app", "scope": "/app", "display": "standalone",
         "background_color": "#ffffff", "theme_color": "#1f4e79", "icons": []}
        """
}
