/// The one layout every page of every surface extends: header with the surface's name,
/// navigation and language switch; the page's title, error and notice; its content.
/// Plain server-rendered HTML with inline styles and no script (see ``PageHeaders``).
enum Layout {
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
        header{background:#1d2430;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.8rem;align-items:baseline}
        header a{color:#9cc3ff}
        header a.brand{color:#fff;text-decoration:none}
        header .detail{opacity:.75;font-family:monospace;font-size:.9rem}
        header nav{margin-left:auto;display:flex;flex-wrap:wrap;gap:.8rem;align-items:baseline}
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
        .qr svg{max-width:100%;height:auto}
        dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem}
        dt{color:#555}
        ul.modes li{margin:.6rem 0}
        table{border-collapse:collapse;width:100%;font-size:.9rem}
        td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left}
        code{font-size:.85rem;word-break:break-all}
        </style>
        </head>
        <body>
        <header><a href="/" class="brand"><strong>{{chrome.title}}</strong></a>{{#chrome.detail}} <span class="detail serial">{{chrome.detail}}</span>{{/chrome.detail}}
        <nav aria-label="{{t.navigation}}">
        {{#chrome.links}}<a href="{{href}}" id="{{id}}">{{label}}</a>
        {{/chrome.links}}{{#chrome.signOutAction}}<form method="post" action="{{chrome.signOutAction}}"><input type="hidden" name="csrf" value="{{csrf}}"><button id="signout">{{t.signOut}}</button></form>
        {{/chrome.signOutAction}}<span aria-label="{{t.language}}"><a href="{{here}}?lang=en" id="lang-en">English</a> · <a href="{{here}}?lang=it" id="lang-it">Italiano</a></span></nav></header>
        <main>
        <h1>{{title}}</h1>
        {{#error}}<p class="error" role="alert" id="error">{{error}}</p>{{/error}}
        {{#notice}}<p class="notice" role="status" id="notice">{{notice}}</p>{{/notice}}
        {{$content}}{{/content}}
        </main>
        </body>
        </html>
        """,
        "message": """
        {{<layout}}{{$content}}
        <section>{{#message}}<p id="message">{{message}}</p>{{/message}}
        <p><a href="{{next}}" id="continue">{{t.continue}}</a></p></section>
        {{/content}}{{/layout}}
        """,
    ]
}

/// The texts the layout and the page layer use on every surface.
public enum SharedStrings {
    public static let catalog = StringCatalog([
        "navigation": .init(en: "Navigation", it: "Navigazione"),
        "language": .init(en: "Language", it: "Lingua"),
        "signOut": .init(en: "Sign out", it: "Esci"),
        "continue": .init(en: "Continue", it: "Continua"),
        "back": .init(en: "Back", it: "Indietro"),
        "form.expired": .init(
            en: "The form expired. Reload the page and send it again.", it: "Il modulo è scaduto. Ricarica la pagina e invialo di nuovo."),
        "page.notFound": .init(en: "Nothing here.", it: "Qui non c'è niente."),
        "page.forbidden": .init(en: "Your account may not open this page.", it: "Il tuo account non ha accesso a questa pagina."),
    ])
}
