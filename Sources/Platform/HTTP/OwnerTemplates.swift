import ReclaimQR

/// The owner app's pages and the installer portal's "Sites and devices".
enum OwnerTemplates {
    static let templates: [String: String] = [
        "sites": """
        {{<layout}}{{$content}}
        <p class="hint">{{t.sitesIntro}} <strong id="company-code">{{companyId}}</strong></p>
        <div id="shared-sites" data-live>
        {{#sites}}<section class="card site"><h2>{{name}}</h2>
        <table class="devices"><tr><th>{{t.deviceName}}</th><th>{{t.deviceSerial}}</th><th>{{t.deviceState}}</th><th></th></tr>
        {{#devices}}<tr id="device-{{serial}}"><td>{{name}}</td><td>{{serial}}</td><td class="{{#online}}online{{/online}}{{^online}}offline{{/online}}">{{onlineText}}{{#since}} · {{t.deviceSince}} {{since}}{{/since}}</td>
        <td>{{#mayReset}}<a href="/sites/devices/{{serial}}/reset" class="reset-link">{{t.resetDevicePassword}}</a>{{/mayReset}}</td></tr>{{/devices}}
        </table></section>{{/sites}}
        {{^sites}}<p class="hint" id="no-sites">{{t.sitesNone}}</p>{{/sites}}
        <h2>{{t.resetRequestsTitle}}</h2>
        <table id="reset-requests">{{#requests}}<tr><td><a href="/sites/requests/{{id}}">{{id}}</a></td><td>{{model}} {{serial}}</td><td>{{mode}}</td><td class="state-{{stateValue}}">{{state}}</td></tr>{{/requests}}</table>
        <h2>{{t.accessTitle}}</h2>
        <table id="access-requests">{{#access}}<tr id="access-{{id}}"><td>{{when}}</td><td>{{owner}}</td><td>{{note}}</td><td class="access-state">{{state}}</td></tr>{{/access}}</table>
        </div>
        <form class="card" method="post" action="/sites/access" id="access-form"><h3>{{t.accessAsk}}</h3>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p class="hint">{{t.accessAskHint}}</p>
        <label>{{t.accessOwnerEmail}}<input type="email" name="email" id="access-email" required autocomplete="off" value="{{#asked}}{{email}}{{/asked}}"></label>
        <label>{{t.accessNote}}<input name="note" id="access-note" required maxlength="300" value="{{#asked}}{{note}}{{/asked}}"></label>
        <label><input type="checkbox" name="mayReset" value="true" id="access-may-reset" {{#askMayReset}}checked {{/askMayReset}}style="display:inline;width:auto"> {{t.appMayReset}}</label>
        <button id="access-send">{{t.accessSend}}</button>
        </form>
        <script src="/static/owner.js" defer></script>
        {{/content}}{{/layout}}
        """,
        "reset-ask": """
        {{<layout}}{{$content}}
        <section class="card"><p>{{t.deviceName}}: {{model}} <span id="reset-serial">{{serial}}</span></p>
        <p>{{t.deviceState}}: {{onlineText}}</p></section>
        <form class="card" method="post" action="/sites/devices/{{serial}}/reset">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <fieldset><legend>{{t.resetModeChoose}}</legend>
        {{#modes}}<label><input type="radio" name="mode" value="{{value}}" id="mode-{{value}}" {{#chosen}}checked {{/chosen}}style="display:inline;width:auto"> {{name}}</label>
        <p class="hint">{{hint}}</p>{{/modes}}
        </fieldset>
        <button id="reset-ask">{{t.resetAsk}}</button>
        </form>
        {{/content}}{{/layout}}
        """,
        "reset-request": """
        {{<layout}}{{$content}}
        {{#sent}}<section class="notice" id="request-sent"><p><strong>{{sent}}</strong></p></section>{{/sent}}
        <section class="card" id="reset-request" data-live data-state="{{stateValue}}" data-expires="{{expiresAt}}">
        <p>{{t.caseState}}: <strong id="reset-state" class="state-{{stateValue}}">{{state}}</strong></p>
        <p>{{t.deviceName}}: {{model}} {{serial}} · {{mode}}</p>
        {{#open}}<p>{{t.resetExpires}} {{expires}} · <span id="countdown"></span></p>{{/open}}
        {{#failure}}<p class="error" id="reset-failure">{{failure}}</p>{{/failure}}
        </section>
        {{#pending}}<form method="post" action="/sites/requests/{{id}}/cancel" id="reset-cancel-form"><input type="hidden" name="csrf" value="{{csrf}}">
        <button id="reset-cancel">{{t.resetCancel}}</button></form>{{/pending}}
        <script src="/static/owner.js" defer></script>
        {{/content}}{{/layout}}
        """,
        "app": """
        {{<layout}}{{$content}}
        <link rel="manifest" href="/app/manifest.webmanifest">
        <section id="services" data-live><h2>{{t.appServices}}</h2>
        {{#pending}}<p class="notice"><a href="/app/requests/{{id}}" id="request-{{id}}">{{t.resetDevicePassword}}: {{company}} · {{model}} {{serial}} · {{mode}}</a></p>{{/pending}}
        {{^pending}}<p class="hint" id="no-requests">{{t.appNoRequests}}</p>{{/pending}}
        {{#access}}<form class="card access" method="post" action="/app/access/{{id}}" id="access-{{id}}"><input type="hidden" name="csrf" value="{{csrf}}">
        <p><strong>{{t.accessTitle}}</strong>: {{company}} · “{{note}}”</p>
        <label>{{t.appSite}}<select name="site">{{#siteChoices}}<option value="{{id}}">{{name}}</option>{{/siteChoices}}<option value="new">{{t.appNewSite}}</option></select></label>
        <label>{{t.appNewSiteName}}<input name="siteName"></label>
        {{#mayReset}}<label><input type="checkbox" name="mayReset" value="true" checked style="display:inline;width:auto"> {{t.appMayReset}}</label>{{/mayReset}}
        <button name="answer" value="accept" class="access-accept">{{t.accessAccept}}</button>
        <button name="answer" value="decline" class="access-decline">{{t.accessDecline}}</button>
        </form>{{/access}}
        {{#claims}}<div class="card claim" id="claim-{{id}}"><p>{{#mine}}{{t.claimOnYours}}{{/mine}}{{^mine}}{{t.claimYours}}{{/mine}} {{serial}} · {{t.claimUntil}} {{until}}</p>
        {{#mine}}<form method="post" action="/app/claims/{{id}}/object"><input type="hidden" name="csrf" value="{{csrf}}"><button class="claim-object">{{t.claimObject}}</button></form>{{/mine}}
        {{^mine}}<form method="post" action="/app/claims/{{id}}/withdraw"><input type="hidden" name="csrf" value="{{csrf}}"><button class="claim-withdraw">{{t.claimWithdraw}}</button></form>{{/mine}}
        </div>{{/claims}}
        </section>
        {{#sites}}<section class="card site" id="site-{{id}}"><h2>{{name}}</h2>
        <ul class="devices">{{#devices}}<li id="device-{{serial}}"><a href="/app/devices/{{serial}}">{{name}} · {{serial}}</a> · <span class="{{#online}}online{{/online}}{{^online}}offline{{/online}}">{{onlineText}}</span></li>{{/devices}}</ul>
        <h3>{{t.appShares}}</h3>
        <ul>{{#shares}}<li>{{company}} <form method="post" action="/app/shares/{{id}}/revoke" style="display:inline"><input type="hidden" name="csrf" value="{{csrf}}"><button class="revoke">{{t.appRevoke}}</button></form></li>{{/shares}}</ul>
        <form method="post" action="/app/sites/{{id}}/shares" class="share-form"><input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.appCompanyCode}}<input name="company" required autocomplete="off" value="{{typedCompany}}"></label>
        <label><input type="checkbox" name="mayReset" value="true" checked style="display:inline;width:auto"> {{t.appMayReset}}</label>
        <button class="share">{{t.appShare}}</button></form>
        </section>{{/sites}}
        <form class="card" method="post" action="/app/devices" id="add-device" enctype="multipart/form-data"><h2>{{t.appAddDevice}}</h2>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.appLabelPhoto}}<input type="file" name="photo" id="add-photo" accept="image/*" capture="environment"></label>
        <p class="hint">{{t.appLabelPhotoHint}}</p>
        <label>{{t.deviceSerial}}<input name="serial" id="add-serial" autocomplete="off" value="{{#add}}{{serial}}{{/add}}"></label>
        <label>{{t.appLabelCode}}<input name="code" id="add-code" autocomplete="off" value="{{#add}}{{code}}{{/add}}"></label>
        <label>{{t.deviceName}}<input name="name" id="add-name" value="{{#add}}{{name}}{{/add}}"></label>
        <label>{{t.appSite}}<select name="site" id="add-site">{{#siteChoices}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/siteChoices}}<option value="new"{{#add}}{{#newSite}} selected{{/newSite}}{{/add}}>{{t.appNewSite}}</option></select></label>
        <label>{{t.appNewSiteName}}<input name="siteName" id="add-site-name" value="{{#add}}{{siteName}}{{/add}}"></label>
        <button id="add-submit">{{t.appAdd}}</button>
        </form>
        <form class="card" method="post" action="/recover" enctype="multipart/form-data" id="scan-qr"><h2>{{t.appScanTitle}}</h2>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p class="hint">{{t.appScanHint}}</p>
        <label>{{t.appScanPhoto}}<input type="file" name="picture" id="scan-picture" accept="image/*" capture="environment"></label>
        <button id="scan-submit">{{t.recoverSubmit}}</button>
        </form>
        <form class="card" method="post" action="/app/claims" id="claim-device"><h2>{{t.claimTitle}}</h2>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p class="hint">{{t.claimHint}}</p>
        <label>{{t.deviceSerial}}<input name="serial" id="claim-serial" required autocomplete="off" value="{{#claim}}{{serial}}{{/claim}}"></label>
        <label>{{t.appLabelCode}}<input name="code" id="claim-code" required autocomplete="off" value="{{#claim}}{{code}}{{/claim}}"></label>
        <label>{{t.appSite}}<select name="site" id="claim-site">{{#siteChoices}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/siteChoices}}<option value="new"{{#claim}}{{#newSite}} selected{{/newSite}}{{/claim}}>{{t.appNewSite}}</option></select></label>
        <label>{{t.appNewSiteName}}<input name="siteName" id="claim-site-name" value="{{#claim}}{{siteName}}{{/claim}}"></label>
        <button id="claim-submit">{{t.claimSubmit}}</button>
        </form>
        <script src="/static/owner.js" defer></script>
        {{/content}}{{/layout}}
        """,
        "app-device": """
        {{<layout}}{{$content}}
        <section class="card" id="device" data-live>
        <p>{{t.deviceName}}: {{model}} <span id="device-serial">{{serial}}</span></p>
        <p>{{t.deviceState}}: <span class="{{#online}}online{{/online}}{{^online}}offline{{/online}}">{{onlineText}}</span>{{#since}} · {{t.deviceSince}} {{since}}{{/since}}</p>
        {{#claims}}<p class="notice">{{t.claimOnYours}} · {{t.claimUntil}} {{until}}</p>{{#mine}}<form method="post" action="/app/claims/{{id}}/object"><input type="hidden" name="csrf" value="{{csrf}}"><button class="claim-object">{{t.claimObject}}</button></form>{{/mine}}{{/claims}}
        </section>
        <h2>{{t.historyTitle}}</h2>
        <table id="history" data-live>{{#history}}<tr class="history-{{kind}}"><td>{{when}}</td><td>{{#link}}<a href="{{link}}">{{what}}</a>{{/link}}{{^link}}{{what}}{{/link}}</td><td>{{source}}</td></tr>{{/history}}</table>
        {{^history}}<p class="hint" id="no-history">{{t.historyNone}}</p>{{/history}}
        <script src="/static/owner.js" defer></script>
        {{/content}}{{/layout}}
        """,
        "app-request": """
        {{<layout}}{{$content}}
        <section class="card" id="reset-request" data-live data-state="{{stateValue}}" data-expires="{{expiresAt}}">
        <p><strong>{{t.resetDevicePassword}}</strong></p>
        <p>{{t.resetWho}}: {{asker}}, <span id="request-company">{{company}}</span></p>
        <p>{{t.deviceName}}: {{model}} <span id="request-serial">{{serial}}</span></p>
        <p>{{mode}}: {{modeHint}}</p>
        <p>{{t.caseState}}: <strong id="reset-state" class="state-{{stateValue}}">{{state}}</strong></p>
        {{#open}}<p>{{t.resetExpires}} {{expires}} · <span id="countdown"></span></p>{{/open}}
        {{#failure}}<p class="error" id="reset-failure">{{failure}}</p>{{/failure}}
        </section>
        {{#pending}}
        <form class="card" method="post" action="/app/requests/{{id}}/approve" id="approve-form" data-serial="{{serial}}" data-device-key="{{deviceKey}}" data-min-length="{{minLength}}" data-mismatch="{{t.passwordsDiffer}}" data-nocrypto="{{t.resetNoCrypto}}"{{#rules}} data-max-length="{{maxLength}}" data-kinds="{{kinds}}" data-ascii-only="{{asciiOnly}}" data-user-name="{{userName}}" data-rule-short="{{short}}" data-rule-long="{{long}}" data-rule-kinds="{{fewKinds}}" data-rule-user="{{user}}" data-rule-characters="{{characters}}"{{/rules}}>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="sealed" id="sealed">
        <p class="hint">{{policy}}</p>
        <label>{{t.resetNewPassword}}<input type="password" id="new-password" autocomplete="new-password" required></label>
        <label>{{t.resetNewPasswordAgain}}<input type="password" id="new-password-again" autocomplete="new-password" required></label>
        <p class="error" id="approve-error" role="alert"></p>
        <p class="hint">{{t.resetEncrypted}}</p>
        <button id="approve">{{t.resetApprove}}</button>
        </form>
        <form method="post" action="/app/requests/{{id}}/decline" id="decline-form"><input type="hidden" name="csrf" value="{{csrf}}"><button id="decline">{{t.resetDecline}}</button></form>
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
/// Request pages count down to the expiry. Pages with live parts (`data-live`) listen to
/// `/events` and refresh those parts when something changes, so both sides see the outcome
/// without reloading.
enum OwnerScript {
    static let text = """
        (function () {
          // The countdown reads the request box each second: live updates may replace it.
          var tick = function () {
            var box = document.getElementById('reset-request'), countdown = document.getElementById('countdown');
            if (!box || !countdown || !(box.dataset.state === 'pending' || box.dataset.state === 'approved')) return;
            var left = Math.max(0, Math.floor((Number(box.dataset.expires) * 1000 - Date.now()) / 1000));
            var h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
            countdown.textContent = (h ? h + ':' : '') + String(m).padStart(2, '0') + ':' + String(s).padStart(2, '0');
          };
          tick();
          setInterval(tick, 1000);

          // Live: the server says when something changed for this account (/events, server-sent
          // events); the page fetches itself and swaps its live parts, so typed input stays.
          if (document.querySelector('[data-live]') && window.EventSource) {
            var refresh = function () {
              fetch(location.href, { credentials: 'same-origin' }).then(function (answer) { return answer.text(); }).then(function (html) {
                var next = new DOMParser().parseFromString(html, 'text/html');
                document.querySelectorAll('[data-live]').forEach(function (part) {
                  // Only what changed is replaced: a choice being made elsewhere stays.
                  var fresh = next.getElementById(part.id);
                  if (fresh && fresh.outerHTML !== part.outerHTML) part.replaceWith(document.importNode(fresh, true));
                });
                // An answered request has no approval form any more.
                ['approve-form', 'decline-form', 'reset-cancel-form'].forEach(function (id) {
                  var old = document.getElementById(id);
                  if (old && !next.getElementById(id)) old.remove();
                });
                tick();
              });
            };
            var events = new EventSource('/events');
            events.addEventListener('change', refresh);
            // What changed between this page's rendering and the stream's (re)opening.
            events.addEventListener('open', refresh);
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
          // The device's rules, as PasswordPolicy states them (the device checks them all
          // again, and the common passwords too): every rule broken, in the page's words.
          var brokenRules = function (password, rules) {
            var broken = [], length = Array.from(password).length;
            var unsupported = rules.asciiOnly === 'true' ? /[^\\x20-\\x7e]/ : /[\\x00-\\x1f\\x7f-\\x9f]/;
            if (unsupported.test(password)) { broken.push(rules.ruleCharacters); }
            if (length < Number(rules.minLength)) { broken.push(rules.ruleShort); }
            if (length > Number(rules.maxLength)) { broken.push(rules.ruleLong); }
            var kinds = [/[0-9]/, /[a-z]/, /[A-Z]/, /[^0-9a-zA-Z]/].filter(function (kind) { return kind.test(password); }).length;
            if (kinds < Number(rules.kinds || 0)) { broken.push(rules.ruleKinds); }
            if (rules.userName && password.toLowerCase().indexOf(rules.userName.toLowerCase()) >= 0) { broken.push(rules.ruleUser); }
            return broken;
          };
          form.addEventListener('submit', function (event) {
            event.preventDefault();
            var first = document.getElementById('new-password'), second = document.getElementById('new-password-again');
            var error = document.getElementById('approve-error');
            if (first.value !== second.value) { error.textContent = form.dataset.mismatch; return; }
            var broken = brokenRules(first.value, form.dataset);
            if (broken.length) { error.textContent = broken.join(' '); return; }
            seal(first.value).then(function (sealed) {
              document.getElementById('sealed').value = sealed;
              first.value = '';
              second.value = '';
              form.submit();
            }, function () { error.textContent = form.dataset.nocrypto; });
          });
        })();
        """

    /// The manifest's icons by size, drawn once.
    static let icons: [(size: Int, png: [UInt8])] = [192, 512].map { ($0, AppIcon.png(size: $0)) }

    static let manifest = """
        {"name": "Reclaim", "short_name": "Reclaim", "start_url": "/app", "scope": "/app", "display": "standalone",
         "background_color": "#ffffff", "theme_color": "#1f4e79",
         "icons": [{"src": "/app/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any maskable"},
                   {"src": "/app/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any maskable"}]}
        """
}
