/// The portal's pages of support cases, the reviewer desk and the message centre.
enum CaseTemplates {
    static let templates: [String: String] = [
        "cases": """
        {{<layout}}{{$content}}
        <p><a href="/cases/new" id="new-case"><strong>{{t.caseNew}}</strong></a></p>
        <form class="card" method="get" action="/cases" id="case-filter">
        <label>{{t.caseState}}<select name="state" id="filter-state"><option value="">{{t.caseAnyState}}</option>
        {{#states}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/states}}</select></label>
        <label>{{t.caseFrom}}<input type="date" name="from" value="{{from}}"></label>
        <label>{{t.caseTo}}<input type="date" name="to" value="{{to}}"></label>
        <button id="filter-submit">{{t.caseFilter}}</button>
        </form>
        <table id="cases"><tr><th>{{t.caseId}}</th><th>{{t.caseCreated}}</th><th>{{t.caseDevice}}</th><th>{{t.caseChannel}}</th><th>{{t.caseState}}</th></tr>
        {{#cases}}<tr><td><a href="/cases/{{id}}">{{id}}</a></td><td>{{created}}</td><td>{{model}} {{serial}}</td><td>{{channel}}</td><td class="state-{{stateValue}}">{{state}}</td></tr>{{/cases}}
        </table>
        {{^cases}}<p class="hint" id="no-cases">{{t.caseNone}}</p>{{/cases}}
        <p>{{#previous}}<a href="{{previous}}" id="page-previous">← {{t.casePrevious}}</a> {{/previous}}{{pageText}}{{#next}} <a href="{{next}}" id="page-next">{{t.caseNext}} →</a>{{/next}}</p>
        {{/content}}{{/layout}}
        """,
        "case-new": """
        {{<layout}}{{$content}}
        <section><p>{{t.caseNewIntro}}</p></section>
        <form class="card" method="post" action="/cases/new" enctype="multipart/form-data">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <fieldset><legend>{{t.caseChannel}}</legend>
        <label><input type="radio" name="channel" value="lan-device" id="channel-lan" style="display:inline;width:auto"> {{t.channelLAN}}</label>
        <div class="card" id="lan-helper" data-pairing="{{pairing}}" data-port="47080" data-missing="{{t.helperMissing}}" data-unpaired="{{t.helperUnpaired}}" data-found="{{t.helperFound}}" data-notfound="{{t.helperNotFound}}" data-noanswer="{{t.helperNoAnswer}}" data-locked="{{t.helperLocked}}" data-nochallenge="{{t.helperNoChallenge}}" data-choose="{{t.helperChoose}}">
        <p>{{t.helperStart}}</p>
        <pre>reclaim helper --platform {{platform}}</pre>
        <p>{{t.helperPairing}} <strong id="pairing-code" style="font-family:monospace;font-size:1.3em">{{pairing}}</strong></p>
        <p id="helper-status" class="hint">{{t.channelLANHint}}</p>
        <label>{{t.helperSearch}}<input id="lan-search" autocomplete="off"></label>
        <table id="lan-devices"></table>
        <p>{{t.helperPicked}} <strong id="picked">—</strong></p>
        </div>
        <label><input type="radio" name="channel" value="other-network" style="display:inline;width:auto" checked> {{t.channelOther}}</label>
        </fieldset>
        <label>{{t.caseQR}}<input type="file" name="qr" id="qr" accept="image/png,image/jpeg"></label>
        <label>{{t.caseChallengeText}}<textarea name="challenge" id="challenge" rows="4" spellcheck="false"></textarea></label>
        <label>{{t.casePhoto}}<input type="file" name="photo" id="photo" accept="image/*" capture="environment" required></label>
        <p class="hint">{{t.casePhotoHint}}</p>
        <div class="card"><p>{{t.caseNotice}}</p>
        <label><input type="checkbox" name="acknowledged" value="true" id="acknowledged" style="display:inline;width:auto" required> {{t.caseAcknowledge}}</label></div>
        <button id="case-submit">{{t.caseSubmit}}</button>
        </form>
        <script src="/static/portal.js" defer></script>
        {{/content}}{{/layout}}
        """,
        "case": """
        {{<layout}}{{$content}}
        {{#sent}}<section class="notice" id="request-sent"><p><strong>{{t.caseSent}}</strong></p><p>{{sent}}</p></section>{{/sent}}
        <section class="card">
        <p>{{t.caseState}}: <strong id="case-state" class="state-{{stateValue}}">{{state}}</strong></p>
        <p>{{t.caseDevice}}: {{model}} <span id="case-serial">{{serial}}</span></p>
        <p>{{t.caseChannel}}: {{channel}} · {{t.caseCreated}}: {{created}}</p>
        {{#waiting}}<p id="case-waiting">{{waiting}}</p>{{/waiting}}
        {{#rejected}}<p class="error" id="case-rejected">{{rejected}}</p>{{/rejected}}
        {{#closed}}<p id="case-closed">{{closed}}</p>{{/closed}}
        </section>
        {{#key}}<section class="card"><h2>{{t.caseKeyTitle}}</h2>
        <p><input id="reset-key" readonly value="{{key}}" style="font-family:monospace;font-size:1.4em"></p>
        <p><button type="button" id="copy-key" data-copy="reset-key" data-copied="{{t.caseCopied}}" hidden>{{t.caseCopy}}</button></p>
        <p class="hint">{{t.caseCopyHint}}</p>
        <script src="/static/portal.js" defer></script>
        <p>{{t.caseKeyUse}}</p><pre>reclaim forgot --device DEVICE-ADDRESS --key {{key}}</pre>
        <p class="hint">{{t.caseExpires}} {{expires}}</p></section>{{/key}}
        {{#file}}<section class="card"><h2>{{t.caseFileTitle}}</h2>
        <p><a href="{{file}}" id="reset-file" download><strong>{{t.caseDownload}}</strong></a></p>
        <p>{{t.caseFileUse}}</p><pre>reclaim forgot --device DEVICE-ADDRESS --file reset-{{serial}}.xml</pre>
        <p class="hint">{{t.caseExpires}} {{expires}}</p></section>{{/file}}
        {{#canClose}}<form method="post" action="/cases/{{id}}/close"><input type="hidden" name="csrf" value="{{csrf}}"><button id="close-case">{{t.caseClose}}</button></form>{{/canClose}}
        {{/content}}{{/layout}}
        """,
        "desk": """
        {{<layout}}{{$content}}
        {{^queue}}<p class="hint" id="desk-empty">{{t.deskEmpty}}</p>{{/queue}}
        {{#queue}}<section class="card desk-case" id="desk-{{id}}">
        <h2><a href="/cases/{{id}}">{{id}}</a> · {{reason}}</h2>
        <p class="hint">{{waited}}</p>
        <p><img src="/api/v1/cases/{{id}}/photo" alt="{{t.casePhoto}}" style="max-width:100%;max-height:480px"></p>
        <table><tr><th></th><th>{{t.deskChallengeSays}}</th><th>{{t.deskEnrollmentSays}}</th><th>{{t.deskLabelRead}}</th></tr>
        <tr><td>{{t.caseDevice}}</td><td>{{model}} {{serial}}</td><td>{{enrolledModel}} {{enrolledSerial}}</td><td>{{labelRead}}</td></tr>
        <tr><td>{{t.deskCode}}</td><td>—</td><td><strong>{{labelCode}}</strong></td><td></td></tr>
        <tr><td>{{t.deskExpires}}</td><td>{{challengeExpires}}</td><td></td><td></td></tr></table>
        {{#reusedFrom}}<p class="error">{{t.deskReused}} <a href="/cases/{{reusedFrom}}">{{reusedFrom}}</a></p>{{/reusedFrom}}
        <form method="post" action="/desk/{{id}}/approve"><input type="hidden" name="csrf" value="{{csrf}}"><button class="approve">{{t.deskApprove}}</button></form>
        <form method="post" action="/desk/{{id}}/reject"><input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.deskRejectReason}}<select name="reason">{{#reasons}}<option value="{{value}}">{{label}}</option>{{/reasons}}</select></label>
        <label>{{t.deskRejectText}}<input name="text" maxlength="500"></label>
        <button class="reject">{{t.deskReject}}</button></form>
        </section>{{/queue}}
        {{#hasTickets}}<section><h2>{{t.deskTickets}}</h2><table id="desk-tickets">
        {{#tickets}}<tr class="ticket-{{stateValue}}"><td><a href="/desk/tickets/{{id}}" id="desk-ticket-{{id}}">{{model}} {{serial}}</a></td><td>{{state}}</td><td>{{updated}}</td></tr>{{/tickets}}
        </table></section>{{/hasTickets}}
        {{/content}}{{/layout}}
        """,
        "messages": """
        {{<layout}}{{$content}}
        {{^messages}}<p class="hint" id="no-messages">{{t.messagesNone}}</p>{{/messages}}
        <table id="messages">{{#messages}}<tr class="{{#unread}}unread{{/unread}}"><td>{{when}}</td><td><a href="{{link}}">{{caseId}}</a></td><td>{{text}}</td></tr>{{/messages}}</table>
        {{/content}}{{/layout}}
        """,
    ]
}
