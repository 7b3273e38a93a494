/// The portal's pages: server-rendered HTML; the only script is none at all. Each extends
/// the shared layout of WebSupport.
enum PortalTemplates {
    static let templates: [String: String] = [
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
        <p><a href="/password/forgot" id="forgot-password">{{t.forgotLink}}</a> · <a href="/signup">{{t.signUp}}</a></p>
        {{/content}}{{/layout}}
        """,
        "company": """
        {{<layout}}{{$content}}
        <section><h2 id="company-name">{{name}}</h2>{{#certified}}<p class="notice">{{t.certified}}</p>{{/certified}}{{^certified}}<p class="hint">{{t.notCertified}}</p>{{/certified}}</section>
        <section><h2>{{membersHead}}</h2><table id="members"><tr><th>{{t.name}}</th><th>{{t.email}}</th><th>{{t.memberSince}}</th></tr>
        {{#members}}<tr><td>{{name}}{{#isYou}} ({{t.memberYou}}){{/isYou}}</td><td>{{email}}</td><td>{{since}}</td></tr>{{/members}}
        </table></section>
        <form class="card" method="post" action="/company/invitations" id="invite-form"><h2>{{t.inviteTitle}}</h2>
        <p class="hint">{{t.inviteHelp}}</p><input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.email}}<input name="email" id="invite-email" type="email" required value="{{email}}"></label>
        <button id="invite-submit">{{t.inviteSubmit}}</button></form>
        {{#hasInvitations}}<section><h2>{{t.invitationsPending}}</h2><table id="invitations"><tr><th>{{t.email}}</th><th>{{t.invitationExpires}}</th><th></th></tr>
        {{#invitations}}<tr><td>{{email}}</td><td>{{expires}}</td><td><form method="post" action="/company/invitations/{{id}}/revoke"><input type="hidden" name="csrf" value="{{csrf}}"><button class="secondary" id="revoke-{{id}}">{{t.invitationRevoke}}</button></form></td></tr>{{/invitations}}
        </table></section>{{/hasInvitations}}
        <form class="card" method="post" action="/company/leave" id="leave-form"><h2>{{t.leaveTitle}}</h2>
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#canLeave}}<p class="hint">{{t.leaveHelp}}</p>
        <label><input type="checkbox" name="confirm" value="yes" id="leave-confirm" style="display:inline;width:auto"> {{t.leaveConfirm}}</label>
        <button class="secondary" id="leave-submit">{{t.leaveSubmit}}</button>{{/canLeave}}
        {{^canLeave}}<p class="hint" id="last-member">{{t.leaveLastMemberHint}}</p>{{/canLeave}}</form>
        {{/content}}{{/layout}}
        """,
        "company-none": """
        {{<layout}}{{$content}}
        <section><p id="no-company">{{t.noCompany}}</p><p class="hint">{{t.noCompanyHelp}}</p></section>
        <form class="card" method="post" action="/company/new" id="start-company-form"><input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.companyName}}<input name="company" id="company" required maxlength="100"></label>
        <button id="start-company">{{t.startCompany}}</button></form>
        {{/content}}{{/layout}}
        """,
        "invitation": """
        {{<layout}}{{$content}}
        <section><p id="invitation-intro">{{intro}}</p><p class="hint">{{t.invitationFor}} <strong id="invited-email">{{invited}}</strong></p></section>
        {{#newAccount}}<form class="card" method="post" action="/invitation" id="join-form">
        <p>{{t.invitationNewAccount}}</p>
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="token" value="{{token}}">
        <label>{{t.name}}<input name="name" id="name" required maxlength="100" autocomplete="name"></label>
        <label>{{t.password}}<input name="password" id="password" type="password" autocomplete="new-password" required></label>
        <label>{{t.confirmPassword}}<input name="confirm" id="confirm-password" type="password" autocomplete="new-password" required></label>
        <p class="hint">{{rules}}</p>
        <button id="join-submit">{{joinLabel}}</button></form>{{/newAccount}}
        {{#signInLink}}<p class="card">{{t.invitationSignIn}} <a href="{{signInLink}}" id="invitation-signin">{{t.signIn}}</a></p>{{/signInLink}}
        {{#signedInAs}}{{#isInvited}}{{#leaveFirst}}<p class="error" id="leave-first">{{leaveFirst}}</p>{{/leaveFirst}}{{^leaveFirst}}<form class="card" method="post" action="/invitation" id="join-form">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="token" value="{{token}}">
        <button id="join-submit">{{joinLabel}}</button></form>{{/leaveFirst}}{{/isInvited}}
        {{^isInvited}}<p class="error" id="other-account">{{otherAccount}}</p>{{/isInvited}}{{/signedInAs}}
        {{/content}}{{/layout}}
        """,
        "distributor": """
        {{<layout}}{{$content}}
        <section><p>{{t.distributorHelp}}</p></section>
        {{#newCode}}<section class="card"><p>{{t.codeShownOnce}}</p><input id="new-code" readonly value="{{newCode}}"></section>{{/newCode}}
        <form class="card" method="post" action="/distributor/codes"><input type="hidden" name="csrf" value="{{csrf}}">
        <button id="issue-code">{{t.issueCode}}</button></form>
        {{#hasCodes}}<section><h2>{{t.codesIssued}}</h2><table id="codes"><tr><th>{{t.codeHint}}</th><th>{{t.codeIssued}}</th><th>{{t.codeExpires}}</th><th>{{t.codeState}}</th></tr>
        {{#codes}}<tr><td>…{{hint}}</td><td>{{issued}}</td><td>{{expires}}</td><td>{{state}}</td></tr>{{/codes}}
        </table></section>{{/hasCodes}}
        {{/content}}{{/layout}}
        """,
        "forgot-password": """
        {{<layout}}{{$content}}
        <form class="card" method="post" action="/password/forgot">
        <p>{{t.forgotIntro}}</p>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.email}}<input name="email" id="email" type="email" autocomplete="username" required></label>
        <button id="forgot-submit">{{t.forgotSubmit}}</button>
        </form>
        {{/content}}{{/layout}}
        """,
        "reset-password": """
        {{<layout}}{{$content}}
        <form class="card" method="post" action="/password/reset">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="token" value="{{token}}">
        <label>{{t.newPassword}}<input name="password" id="new-password" type="password" autocomplete="new-password" required></label>
        <label>{{t.confirmPassword}}<input name="confirm" id="confirm-password" type="password" autocomplete="new-password" required></label>
        <p class="hint">{{rules}}</p>
        <button id="reset-submit">{{t.resetLinkSubmit}}</button>
        </form>
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
        "dashboard": """
        {{<layout}}{{$content}}
        <section><p><strong>{{role}}</strong> · {{email}}</p>
        {{#company}}<p>{{t.company}}: <strong id="company-name">{{name}}</strong></p>
        {{#certified}}<p class="notice" id="certified">{{t.certified}}</p>{{/certified}}{{^certified}}<p class="hint" id="not-certified">{{t.notCertified}}</p>
        {{#canRedeem}}<form class="card" method="post" action="/company/certify" id="certify-form"><input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.certificationCode}}<input name="code" id="certification-code" required autocomplete="off" autocapitalize="characters" placeholder="RCC-XXXX-XXXX-XXXX-XXXX-XXXX"></label>
        <button id="certify-submit">{{t.certifyWithCode}}</button></form>{{/canRedeem}}{{/certified}}{{/company}}
        {{#noCompany}}<p class="hint"><a href="/company" id="no-company">{{t.noCompany}}</a></p>{{/noCompany}}
        {{#isDistributor}}<p><a href="/distributor" id="go-distributor">{{t.distributorIntro}}</a></p>{{/isDistributor}}
        {{#isOwner}}<p>{{t.ownerIntro}}</p>{{/isOwner}}
        </section>
        {{#companies.0}}<section><h2>{{t.companies}}</h2><table id="companies">
        {{#companies}}<tr><td>{{name}}</td><td>{{#certified}}✓{{/certified}}{{^certified}}{{#canCertify}}<form method="post" action="/admin/companies/{{id}}/certify"><input type="hidden" name="csrf" value="{{csrf}}"><button>{{t.certify}}</button></form>{{/canCertify}}{{/certified}}</td></tr>{{/companies}}
        </table></section>{{/companies.0}}
        {{#audit}}<section><h2>{{t.recentActivity}}</h2><p class="hint">{{head}}</p><table id="audit">
        <tr><th>#</th><th>{{t.auditColumnWhen}}</th><th>{{t.auditColumnAction}}</th><th>{{t.auditColumnSubject}}</th><th>{{t.auditColumnActor}}</th></tr>
        {{#entries}}<tr><td>{{seq}}</td><td>{{when}}</td><td><code>{{action}}</code></td><td><code>{{subject}}</code></td><td><code>{{actor}}</code></td></tr>{{/entries}}
        </table></section>{{/audit}}
        {{/content}}{{/layout}}
        """,
        "compatibility": """
        {{<layout}}{{$content}}
        <section><p>{{t.compatIntro}}</p></section>
        {{#models}}<section class="card" id="model-{{name}}"><h2>{{name}}</h2>
        <p>{{kind}} · {{description}}</p>
        <p class="hint">{{t.compatPassword}}: {{password}}</p>
        <table class="compatibility"><tr><th>{{t.compatFirmware}}</th>{{#methods}}<th>{{name}}</th>{{/methods}}</tr>
        {{#firmware}}<tr><td>{{version}}</td>{{#cells}}<td class="method-{{method}}">{{text}}</td>{{/cells}}</tr>{{/firmware}}
        </table></section>{{/models}}
        <section><p class="hint">{{t.compatEnrolledHint}}</p></section>
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
