/// The device web page's templates: plain server-rendered HTML, no JavaScript. Each
/// extends the shared layout of WebSupport.
enum DeviceTemplates {
    static let templates: [String: String] = [
        "activate": """
        {{<layout}}{{$content}}
        <form class="card" method="post" action="/activate">
        <p>{{t.activateIntro}}</p>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.userName}} <input name="user" value="admin" readonly></label>
        <label>{{t.password}} <input type="password" name="password" id="password" required autocomplete="new-password"></label>
        <label>{{t.confirmPassword}} <input type="password" name="confirm" id="confirm" required autocomplete="new-password"></label>
        <p class="hint">{{rules}}</p>
        <button type="submit" id="activate">{{t.activate}}</button>
        </form>
        {{/content}}{{/layout}}
        """,

        "signin": """
        {{<layout}}{{$content}}
        <form class="card" method="post" action="/signin">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="section" value="{{section}}">
        <label>{{t.userName}} <input name="user" value="admin" readonly></label>
        <label>{{t.password}} <input type="password" name="password" id="password" required autocomplete="current-password"></label>
        <button type="submit" id="signin">{{t.signIn}}</button>
        </form>
        <p><a href="/forgot" id="forgot">{{t.forgotLink}}</a></p>
        {{/content}}{{/layout}}
        """,

        "forgot": """
        {{<layout}}{{$content}}
        <section>
        <p>{{t.forgotIntro}}</p>
        <ul class="modes">
        {{#modes}}
        <li>{{#ready}}<a href="{{href}}" id="mode-{{id}}">{{name}}</a>{{/ready}}{{^ready}}<strong>{{name}}</strong>{{/ready}}
        <div class="hint">{{help}}</div></li>
        {{/modes}}
        </ul>
        </section>
        <p><a href="/">{{t.back}}</a></p>
        {{/content}}{{/layout}}
        """,

        "newPasswordFields": """
        <label>{{t.newPassword}} <input type="password" name="password" id="new-password" required autocomplete="new-password"></label>
        <label>{{t.confirmPassword}} <input type="password" name="confirm" id="confirm-password" required autocomplete="new-password"></label>
        <p class="hint">{{rules}}</p>
        """,

        "forgot-guid": """
        {{<layout}}{{$content}}
        <form class="card" method="post" action="/forgot/guid" enctype="multipart/form-data">
        <p>{{t.modeGuidFileHelp}}</p>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.guidFile}} <input type="file" name="file" id="guid-file" required></label>
        {{> newPasswordFields}}
        <button type="submit" id="confirm">{{t.confirm}}</button>
        </form>
        <p><a href="/forgot">{{t.back}}</a></p>
        {{/content}}{{/layout}}
        """,

        "forgot-questions": """
        {{<layout}}{{$content}}
        <form class="card" method="post" action="/forgot/questions">
        <p>{{t.modeSecurityQuestionsHelp}}</p>
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#questions}}
        <label>{{text}} <input name="answer{{id}}" id="answer{{id}}" required autocomplete="off"></label>
        {{/questions}}
        {{> newPasswordFields}}
        <button type="submit" id="confirm">{{t.confirm}}</button>
        </form>
        <p><a href="/forgot">{{t.back}}</a></p>
        {{/content}}{{/layout}}
        """,

        "challenge": """
        {{#challenge}}
        <section class="qr">
        <p>{{intro}}</p>
        <div id="qr">{{{svg}}}</div>
        <label>{{t.qrText}} <textarea id="qr-text" rows="5" readonly>{{text}}</textarea></label>
        <p class="hint">{{expires}}</p>
        </section>
        {{/challenge}}
        """,

        "forgot-email": """
        {{<layout}}{{$content}}
        {{> challenge}}
        {{^challenge}}
        <form class="card" method="post" action="/forgot/email/qr">
        <p>{{emailHelp}}</p>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit" id="generate">{{t.generateQR}}</button>
        </form>
        {{/challenge}}
        <form class="card" method="post" action="/forgot/email">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.verificationCode}} <input name="code" id="code" required autocomplete="off" autocapitalize="characters"></label>
        {{> newPasswordFields}}
        <button type="submit" id="confirm">{{t.confirm}}</button>
        </form>
        <p><a href="/forgot">{{t.back}}</a></p>
        {{/content}}{{/layout}}
        """,

        "forgot-support": """
        {{<layout}}{{$content}}
        {{> challenge}}
        {{^challenge}}
        <form class="card" method="post" action="/forgot/support/qr">
        <p>{{t.modeSupportHelp}}</p>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit" id="generate">{{t.generateQR}}</button>
        </form>
        {{/challenge}}
        <form class="card" method="post" action="/forgot/support/key">
        <h2>{{t.resetKey}}</h2>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.resetKey}} <input name="key" id="reset-key" required autocomplete="off" autocapitalize="characters" placeholder="XXXX-XXXX-XXXX-XX"></label>
        {{> newPasswordFields}}
        <button type="submit" id="confirm-key">{{t.useKey}}</button>
        </form>
        <form class="card" method="post" action="/forgot/support/file" enctype="multipart/form-data">
        <h2>{{t.resetFile}}</h2>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.resetFile}} <input type="file" name="file" id="reset-file" accept=".xml,application/xml,text/xml" required></label>
        <label>{{t.newPassword}} <input type="password" name="password" id="file-new-password" required autocomplete="new-password"></label>
        <label>{{t.confirmPassword}} <input type="password" name="confirm" id="file-confirm-password" required autocomplete="new-password"></label>
        <button type="submit" id="confirm-file">{{t.useFile}}</button>
        </form>
        <p><a href="/forgot">{{t.back}}</a></p>
        {{/content}}{{/layout}}
        """,

        // The hardening checklist (F9): each item's state and a link to the form that fixes it
        // on the signed-in home page. Shown there, and after a recovery.
        "checklist": """
        {{#hardening}}
        <section id="hardening">
        <h2>{{t.hardeningTitle}}</h2>
        <p class="hint">{{t.hardeningIntro}}</p>
        <p id="hardening-summary">{{summary}}</p>
        <ul class="modes">
        {{#items}}
        <li id="check-{{id}}" class="{{#done}}done{{/done}}{{^done}}to-do{{/done}}"><strong><span id="check-{{id}}-status">{{status}}</span> · {{title}}</strong>
        <div class="hint" id="check-{{id}}-state">{{state}}</div>
        <a href="{{href}}" id="fix-{{id}}">{{fix}}</a></li>
        {{/items}}
        </ul>
        </section>
        {{/hardening}}
        """,

        "recovered": """
        {{<layout}}{{$content}}
        <section><p id="message">{{message}}</p>
        <p><a href="/" id="continue">{{t.continue}}</a></p></section>
        {{> checklist}}
        {{/content}}{{/layout}}
        """,

        "home": """
        {{<layout}}{{$content}}
        <section>
        <h2>{{t.device}}</h2>
        <dl>
        <dt>{{t.model}}</dt><dd>{{model}}</dd>
        <dt>{{t.serial}}</dt><dd>{{serial}}</dd>
        <dt>{{t.firmware}}</dt><dd id="firmware-installed">{{firmware}}</dd>
        <dt>{{t.mac}}</dt><dd>{{mac}}</dd>
        </dl>
        <form method="post" action="/signout"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" id="signout">{{t.signOut}}</button></form>
        </section>

        {{> checklist}}

        <h2 id="recovery">{{t.recoverySetup}}</h2>
        <form class="card" method="post" action="/setup/guid" id="guid-form">
        <h3>{{t.guidTitle}}</h3>
        <p id="guid-state">{{guidState}}</p>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.currentPassword}} <input type="password" name="password" id="guid-password" required autocomplete="current-password"></label>
        <button type="submit" id="export-guid">{{t.exportGuid}}</button>
        </form>

        <form class="card" method="post" action="/setup/questions">
        <h3>{{t.questionsTitle}} <small id="questions-state">({{questionsState}})</small></h3>
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#questionSlots}}
        <label>{{label}} <select name="question{{slot}}" id="question{{slot}}">{{#options}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{text}}</option>{{/options}}</select></label>
        <label>{{t.answer}} <input name="answer{{slot}}" id="answer{{slot}}" required autocomplete="off"></label>
        {{/questionSlots}}
        <label>{{t.currentPassword}} <input type="password" name="password" id="questions-password" required autocomplete="current-password"></label>
        <button type="submit" id="save-questions">{{t.save}}</button>
        </form>

        {{#emailSupported}}
        <form class="card" method="post" action="/setup/email">
        <h3>{{t.emailTitle}} <small id="email-state">({{emailState}})</small></h3>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.emailAddress}} <input type="email" name="email" id="email" value="{{email}}" autocomplete="email"></label>
        <label>{{t.currentPassword}} <input type="password" name="password" id="email-password" required autocomplete="current-password"></label>
        <button type="submit" id="save-email">{{t.save}}</button>
        </form>
        {{/emailSupported}}

        <form class="card" method="post" action="/setup/password" id="password-form">
        <h2>{{t.changePassword}}</h2>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.currentPassword}} <input type="password" name="current" id="current-password" required autocomplete="current-password"></label>
        {{> newPasswordFields}}
        <button type="submit" id="change-password">{{t.changePassword}}</button>
        </form>

        <form class="card" method="post" action="/setup/upnp" id="upnp-form">
        <h2>{{t.upnpTitle}}</h2>
        <p id="upnp-state">{{upnpState}}</p>
        <p class="hint">{{t.upnpHelp}}</p>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="enabled" value="{{#upnpEnabled}}false{{/upnpEnabled}}{{^upnpEnabled}}true{{/upnpEnabled}}">
        <button type="submit" id="upnp-toggle">{{upnpAction}}</button>
        </form>

        <form class="card" method="post" action="/setup/firmware" enctype="multipart/form-data" id="firmware">
        <h2>{{t.firmwareTitle}}</h2>
        <p id="firmware-state">{{firmwareState}}</p>
        <p class="hint">{{t.firmwareHelp}}</p>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.firmwarePackage}} <input type="file" name="package" id="firmware-file" accept=".pkg" required></label>
        <button type="submit" id="firmware-update">{{t.firmwareUpdate}}</button>
        </form>

        <form class="card" method="post" action="/setup/lockout">
        <h2>{{t.lockoutTitle}}</h2>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.maxFailures}} <input type="number" name="maxFailures" min="3" max="50" value="{{maxFailures}}"></label>
        <label>{{t.lockMinutes}} <input type="number" name="lockMinutes" min="1" max="1440" value="{{lockMinutes}}"></label>
        <button type="submit" id="save-lockout">{{t.save}}</button>
        </form>
        {{/content}}{{/layout}}
        """,
    ]
}
