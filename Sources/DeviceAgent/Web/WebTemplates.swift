import WebSupport

/// The device web page's templates: plain server-rendered HTML, no JavaScript.
enum WebTemplates {
    static let library = TemplateLibrary(templates)

    static func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(name, context)
    }

    static let templates: [String: String] = [
        "layout": """
        <!doctype html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · {{t.appName}}</title>
        <style>
        body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2430}
        header{background:#1d2430;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.6rem;align-items:baseline}
        header .serial{opacity:.75;font-family:monospace;font-size:.9rem}
        header nav{margin-left:auto}
        header a{color:#9cc3ff}
        main{max-width:40rem;margin:1rem auto;padding:0 1rem}
        section,form.card{background:#fff;border-radius:8px;padding:1rem;margin:0 0 1rem;box-shadow:0 1px 2px #0002}
        label{display:block;margin:.6rem 0}
        input,select{display:block;width:100%;box-sizing:border-box;padding:.45rem;font-size:1rem;margin-top:.2rem}
        button{padding:.5rem 1rem;font-size:1rem;background:#2156d8;color:#fff;border:0;border-radius:6px;cursor:pointer}
        .error{background:#fde8e8;border-left:4px solid #c62828;padding:.6rem}
        .notice{background:#e6f4ea;border-left:4px solid #2e7d32;padding:.6rem}
        .hint{color:#555;font-size:.9rem}
        .qr svg{max-width:100%;height:auto}
        textarea{width:100%;font-family:monospace;font-size:.8rem}
        dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem}
        dt{color:#555}
        ul.modes li{margin:.6rem 0}
        </style>
        </head>
        <body>
        <header><strong>{{model}}</strong> <span class="serial">{{serial}}</span>
        <nav aria-label="{{t.language}}"><a href="{{here}}?lang=en" id="lang-en">English</a> · <a href="{{here}}?lang=it" id="lang-it">Italiano</a></nav></header>
        <main>
        <h1>{{title}}</h1>
        {{#error}}<p class="error" role="alert" id="error">{{error}}</p>{{/error}}
        {{#notice}}<p class="notice" role="status" id="notice">{{notice}}</p>{{/notice}}
        {{$content}}{{/content}}
        </main>
        </body>
        </html>
        """,

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

        "message": """
        {{<layout}}{{$content}}
        <section><p id="message">{{message}}</p>
        <p><a href="{{next}}" id="continue">{{t.continue}}</a></p></section>
        {{/content}}{{/layout}}
        """,

        "home": """
        {{<layout}}{{$content}}
        <section>
        <h2>{{t.device}}</h2>
        <dl>
        <dt>{{t.model}}</dt><dd>{{model}}</dd>
        <dt>{{t.serial}}</dt><dd>{{serial}}</dd>
        <dt>{{t.firmware}}</dt><dd>{{firmware}}</dd>
        <dt>{{t.mac}}</dt><dd>{{mac}}</dd>
        </dl>
        <form method="post" action="/signout"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" id="signout">{{t.signOut}}</button></form>
        </section>

        <h2>{{t.recoverySetup}}</h2>
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

        <form class="card" method="post" action="/setup/password">
        <h2>{{t.changePassword}}</h2>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.currentPassword}} <input type="password" name="current" id="current-password" required autocomplete="current-password"></label>
        {{> newPasswordFields}}
        <button type="submit" id="change-password">{{t.changePassword}}</button>
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
