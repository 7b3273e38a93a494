/// The templates of owners' tickets, in the owner app and on the reviewer desk.
enum TicketTemplates {
    static let templates: [String: String] = [
        "tickets": """
        {{<layout}}{{$content}}
        <section><p>{{t.ticketsIntro}}</p><p><a href="/app/tickets/new" id="new-ticket">{{t.ticketNewTitle}}</a></p></section>
        {{#hasTickets}}<table id="tickets"><tr><th>{{t.ticketDevice}}</th><th>{{t.ticketStateLabel}}</th><th>{{t.ticketUpdated}}</th></tr>
        {{#tickets}}<tr class="ticket-{{stateValue}}"><td><a href="/app/tickets/{{id}}">{{model}} {{serial}}</a></td><td>{{state}}</td><td>{{updated}}</td></tr>{{/tickets}}
        </table>{{/hasTickets}}
        {{^hasTickets}}<p class="hint" id="no-tickets">{{t.ticketsNone}}</p>{{/hasTickets}}
        {{/content}}{{/layout}}
        """,
        "ticket-new": """
        {{<layout}}{{$content}}
        <form class="card" method="post" action="/app/tickets" enctype="multipart/form-data" id="ticket-form">
        <p>{{t.ticketNewIntro}}</p><p class="hint">{{limits}}</p>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.ticketQR}}<input type="file" name="qr" id="ticket-qr" accept="image/png,image/jpeg"></label>
        <label>{{t.ticketQRText}}<textarea name="challenge" id="ticket-challenge" rows="3" spellcheck="false">{{challenge}}</textarea></label>
        <label>{{t.ticketLabel}}<input type="file" name="label" id="ticket-label" accept="image/png,image/jpeg"></label>
        <label>{{t.ticketPurchase}}<input type="file" name="purchase" id="ticket-purchase" accept="application/pdf,image/png,image/jpeg"></label>
        <label><input type="checkbox" name="onBehalf" value="yes" id="ticket-on-behalf" style="display:inline;width:auto"{{#onBehalf}} checked{{/onBehalf}}> {{t.ticketOnBehalf}}</label>
        <label>{{t.ticketAuthorisation}}<input type="file" name="authorisation" id="ticket-authorisation" accept="application/pdf,image/png,image/jpeg"></label>
        <label>{{t.ticketNote}}<textarea name="note" id="ticket-note" rows="3" maxlength="4000">{{note}}</textarea></label>
        <button id="ticket-submit">{{t.ticketSubmit}}</button>
        </form>
        {{/content}}{{/layout}}
        """,
        "ticket": """
        {{<layout}}{{$content}}
        {{>ticket-summary}}
        {{#resetKey}}<section class="card" id="ticket-result"><p>{{t.ticketResultKey}}</p><input id="reset-key" readonly value="{{resetKey}}"></section>{{/resetKey}}
        {{#resetFile}}<section class="card" id="ticket-result"><p>{{t.ticketResultFile}}</p><a href="{{resetFile}}" id="reset-file">{{t.ticketDownloadFile}}</a></section>{{/resetFile}}
        {{>ticket-thread}}
        {{#mayClose}}<form method="post" action="{{base}}/close" id="close-form"><input type="hidden" name="csrf" value="{{csrf}}"><button class="secondary" id="ticket-close">{{t.ticketClose}}</button></form>{{/mayClose}}
        {{/content}}{{/layout}}
        """,
        "ticket-desk": """
        {{<layout}}{{$content}}
        {{>ticket-summary}}
        <section class="card"><table><tr><td>{{t.ticketOwner}}</td><td>{{owner}}</td></tr>
        <tr><td>{{t.deskEnrollmentSays}}</td><td>{{enrolled}}</td></tr><tr><td>{{t.deskCode}}</td><td><strong id="label-code">{{labelCode}}</strong></td></tr>
        <tr><td>{{t.deskExpires}}</td><td>{{challengeExpires}}</td></tr></table></section>
        {{>ticket-thread}}
        {{#open}}<form class="card" method="post" action="{{base}}/approve" id="approve-form"><input type="hidden" name="csrf" value="{{csrf}}"><button class="approve" id="ticket-approve">{{t.deskApprove}}</button></form>
        <form class="card" method="post" action="{{base}}/reject" id="reject-form"><input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.ticketRejectWhy}}<textarea name="why" id="ticket-why" rows="2" maxlength="2000"></textarea></label>
        <button class="reject" id="ticket-reject">{{t.deskReject}}</button></form>{{/open}}
        {{/content}}{{/layout}}
        """,
        "ticket-summary": """
        <section class="card" id="ticket-summary"><p><strong>{{model}} {{serial}}</strong> · <span id="ticket-state">{{state}}</span></p>
        <p class="hint">{{stateHint}}</p>
        {{#rejectText}}<p class="error" id="ticket-reject-text">{{rejectText}}</p>{{/rejectText}}
        {{#onBehalf}}<p>{{t.ticketOnBehalfShort}}</p>{{/onBehalf}}
        <h3>{{t.ticketDocuments}}</h3>{{#filesDeleted}}<p class="hint" id="files-deleted">{{filesDeleted}}</p>{{/filesDeleted}}
        <ul id="ticket-documents">{{#documents}}<li>{{purpose}}: {{#deleted}}{{name}} ({{deleted}}){{/deleted}}{{^deleted}}<a href="{{link}}" id="file-{{id}}">{{name}}</a> · {{size}}{{/deleted}}</li>{{/documents}}</ul>
        </section>
        """,
        "ticket-thread": """
        <section id="ticket-thread"><h2>{{t.ticketMessages}}</h2>
        {{^hasThread}}<p class="hint">{{t.ticketNoMessages}}</p>{{/hasThread}}
        {{#thread}}<div class="card message {{#fromReviewer}}from-reviewer{{/fromReviewer}}" id="message-{{id}}"><p class="hint">{{author}} · {{role}} · {{when}}</p><p class="body">{{body}}</p>
        {{#files}}<p>📎 {{#deleted}}{{name}} ({{deleted}}){{/deleted}}{{^deleted}}<a href="{{link}}">{{name}}</a> · {{size}}{{/deleted}}</p>{{/files}}</div>{{/thread}}
        {{#mayWrite}}<form class="card" method="post" action="{{base}}/messages" enctype="multipart/form-data" id="message-form"><input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{#desk}}{{t.ticketAskOwner}}{{/desk}}{{^desk}}{{t.ticketWriteReviewer}}{{/desk}}<textarea name="text" id="message-text" rows="3" maxlength="4000">{{text}}</textarea></label>
        <label>{{t.ticketAttachment}}<input type="file" name="attachment" id="message-attachment" accept="application/pdf,image/png,image/jpeg"></label>
        <p class="hint">{{limits}}</p>
        <button id="message-submit">{{t.ticketSend}}</button></form>{{/mayWrite}}
        </section>
        """,
    ]
}
