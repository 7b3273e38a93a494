import WebSupport

/// The portal's pages: server-rendered HTML; the only script is none at all.
enum PortalTemplates {
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
        header{background:#1d2430;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:baseline}
        header a{color:#9cc3ff}
        header nav{margin-left:auto;display:flex;gap:1rem;align-items:baseline}
        header form{display:inline;margin:0}
        header button{background:none;color:#9cc3ff;padding:0;text-decoration:underline}
        main{max-width:44rem;margin:1rem auto;padding:0 1rem}
        section,form.card{background:#fff;border-radius:8px;padding:1rem;margin:0 0 1rem;box-shadow:0 1px 2px #0002}
        label{display:block;margin:.6rem 0}
        input,select,textarea{display:block;width:100%;box-sizing:border-box;padding:.45rem;font-size:1rem;margin-top:.2rem}
        textarea{font-family:monospace;font-size:.85rem}
        button{padding:.5rem 1rem;font-size:1rem;background:#2156d8;color:#fff;border:0;border-radius:6px;cursor:pointer}
        .error{background:#fde8e8;border-left:4px solid #c62828;padding:.6rem}
        .notice{background:#e6f4ea;border-left:4px solid #2e7d32;padding:.6rem}
        .hint{color:#555;font-size:.9rem}
        table{border-collapse:collapse;width:100%;font-size:.9rem}
        td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left}
        code{font-size:.85rem;word-break:break-all}
        </style>
        </head>
        <body>
        <header><a href="/"><strong>{{t.appName}}</strong></a>
        <nav aria-label="{{t.language}}">
        {{#account}}<a href="/dashboard" id="nav-dashboard">{{t.dashboard}}</a>
        <form method="post" action="/signout"><input type="hidden" name="csrf" value="{{csrf}}"><button id="signout">{{t.signOut}}</button></form>{{/account}}
        {{^account}}<a href="/signin" id="nav-signin">{{t.signIn}}</a> <a href="/signup" id="nav-signup">{{t.signUp}}</a>{{/account}}
        <a href="{{here}}?lang=en" id="lang-en">English</a> <a href="{{here}}?lang=it" id="lang-it">Italiano</a></nav></header>
        <main>
        <h1>{{title}}</h1>
        {{#error}}<p class="error" role="alert" id="error">{{error}}</p>{{/error}}
        {{#notice}}<p class="notice" role="status" id="notice">{{notice}}</p>{{/notice}}
        {{$content}}{{/content}}
        </main>
        </body>
        </html>
        """,
        "home": """
        {{<layout}}{{$content}}
        <section><p>{{t.homeIntro}}</p></section>
        <section><h2><a href="/recover" id="recover-link">{{t.homeRecover}}</a></h2><p class="hint">{{t.homeRecoverHint}}</p></section>
        {{/content}}{{/layout}}
        """,
        "signin": """
        {{<layout}}{{$content}}
        <form class="card" method="post" action="/signin">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="next" value="{{next}}">
        <label>{{t.email}}<input name="email" type="email" autocomplete="username" required value="{{email}}"></label>
        <label>{{t.password}}<input name="password" type="password" autocomplete="current-password" required></label>
        <button id="signin-submit">{{t.signIn}}</button>
        </form>
        <p><a href="/signup">{{t.signUp}}</a></p>
        {{/content}}{{/layout}}
        """,
        "signup": """
        {{<layout}}{{$content}}
        <form class="card" method="post" action="/signup">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <fieldset><legend>{{t.signUpKind}}</legend>
        <label><input type="radio" name="kind" value="installer" style="display:inline;width:auto" checked> {{t.kindInstaller}}</label>
        <label><input type="radio" name="kind" value="owner" style="display:inline;width:auto"> {{t.kindOwner}}</label>
        </fieldset>
        <label>{{t.companyName}}<input name="company" value="{{company}}"></label>
        <label>{{t.name}}<input name="name" required value="{{name}}"></label>
        <label>{{t.email}}<input name="email" type="email" autocomplete="username" required value="{{email}}"></label>
        <label>{{t.password}}<input name="password" type="password" autocomplete="new-password" required minlength="15"></label>
        <p class="hint">{{t.passwordRules}}</p>
        <button id="signup-submit">{{t.signUp}}</button>
        </form>
        {{/content}}{{/layout}}
        """,
        "message": """
        {{<layout}}{{$content}}
        <p><a href="/">{{t.back}}</a></p>
        {{/content}}{{/layout}}
        """,
        "dashboard": """
        {{<layout}}{{$content}}
        <section><p><strong>{{role}}</strong> · {{email}}</p>
        {{#company}}<p>{{t.company}}: <strong id="company-name">{{name}}</strong></p>
        {{#certified}}<p class="notice" id="certified">{{t.certified}}</p>{{/certified}}{{^certified}}<p class="hint" id="not-certified">{{t.notCertified}}</p>{{/certified}}{{/company}}
        {{#isOwner}}<p>{{t.ownerIntro}}</p>{{/isOwner}}
        </section>
        {{#companies.0}}<section><h2>{{t.companies}}</h2><table id="companies">
        {{#companies}}<tr><td>{{name}}</td><td>{{#certified}}✓{{/certified}}{{^certified}}{{#canCertify}}<form method="post" action="/admin/companies/{{id}}/certify"><input type="hidden" name="csrf" value="{{csrf}}"><button>{{t.certify}}</button></form>{{/canCertify}}{{/certified}}</td></tr>{{/companies}}
        </table></section>{{/companies.0}}
        {{#audit}}<section><h2>{{t.recentActivity}}</h2><p class="hint">{{head}}</p><table id="audit">
        {{#entries}}<tr><td>{{seq}}</td><td>{{when}}</td><td>{{action}}</td><td>{{subject}}</td><td>{{actor}}</td></tr>{{/entries}}
        </table></section>{{/audit}}
        {{/content}}{{/layout}}
        """,
        "recover": """
        {{<layout}}{{$content}}
        <section><p>{{t.recoverIntro}}</p></section>
        <form class="card" method="post" action="/recover" enctype="multipart/form-data">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.recoverPicture}}<input type="file" name="picture" id="picture" accept="image/png,image/jpeg"></label>
        <label>{{t.recoverText}}<textarea name="challenge" id="challenge" rows="5" spellcheck="false"></textarea></label>
        <button id="recover-submit">{{t.recoverSubmit}}</button>
        </form>
        {{/content}}{{/layout}}
        """,
    ]
}
