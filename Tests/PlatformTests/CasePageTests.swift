import DeviceAgent
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ReclaimCore
import ReclaimQR
import ReclaimTestSupport
import Testing

@testable import Platform

/// The portal's case pages as an installer and a reviewer read them, in English and Italian.
@Suite struct CasePageTests {
    static let csrf = "0123456789abcdef0123456789abcdef"

    struct Page: Sendable {
        let status: Int
        let location: String?
        let html: String
        let refresh: String?
    }

    static func get(_ client: some TestClientProtocol, _ path: String, session: String) async throws -> Page {
        try await client.execute(uri: path, method: .get, headers: [.cookie: "reclaim_portal=\(session)"]) {
            Page(
                status: Int($0.status.code), location: $0.headers[.location], html: $0.text, refresh: $0.headers[HTTPField.Name("Refresh")!]
            )
        }
    }

    static func post(_ client: some TestClientProtocol, _ path: String, session: String, form: [String: String] = [:]) async throws -> Page
    {
        let body = (form.merging(["csrf": csrf]) { a, _ in a }).map {
            "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }
        .joined(separator: "&")
        return try await client.execute(
            uri: path, method: .post,
            headers: [.cookie: "reclaim_portal=\(session); reclaim_csrf=\(csrf)", .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body)
        ) { Page(status: Int($0.status.code), location: $0.headers[.location], html: $0.text, refresh: nil) }
    }

    static func submit(_ client: some TestClientProtocol, session: String, challenge: String, photo: [UInt8]) async throws -> Page {
        let (type, body) = CaseFlowTests.multipart(
            ["csrf": csrf, "channel": "other-network", "challenge": challenge, "acknowledged": "true"], files: ["photo": photo])
        return try await client.execute(
            uri: "/cases/new", method: .post, headers: [.cookie: "reclaim_portal=\(session); reclaim_csrf=\(csrf)", .contentType: type],
            body: body
        ) { Page(status: Int($0.status.code), location: $0.headers[.location], html: $0.text, refresh: nil) }
    }

    @Test func anInstallerOpensACaseAndReadsTheResetCodeInItsPage() async throws {
        try await withTestPlatform { platform in
            let installer = try await platform.account(.installer, certified: true)
            let session = try await platform.services.accounts.startSession(for: installer)
            let (device, challenge) = try await CaseFlowTests.device(platform)
            try await platform.application.test(.router) { client in
                let form = try await Self.get(client, "/cases/new", session: session)
                #expect(form.status == 200 && form.html.contains("id=\"acknowledged\"") && form.html.contains("capture=\"environment\""))
                let sent = try await Self.submit(client, session: session, challenge: challenge, photo: CaseFlowTests.label(of: device))
                #expect(sent.status == 303, "\(sent.html)")
                let location = try #require(sent.location)
                #expect(location.hasPrefix("/cases/case_") && location.hasSuffix("?sent=1"))
                await platform.services.cases.sweepNow()
                let page = try await Self.get(client, location, session: session)
                #expect(page.html.contains("id=\"request-sent\"") && page.html.contains("Request sent"))
                #expect(page.html.contains("id=\"case-state\" class=\"state-to-confirm\">To confirm<"))
                #expect(page.html.contains("id=\"reset-key\"") && page.html.contains("id=\"copy-key\""))
                #expect(page.refresh == nil, "a decided case does not reload itself")
                let italian = try await Self.get(client, location + "&lang=it", session: session)
                #expect(
                    italian.html.contains("Richiesta inviata") && italian.html.contains("Codice di reset")
                        && italian.html.contains("Da confermare"))
                #expect(italian.html.contains("Chiudi caso"))

                let list = try await Self.get(client, "/cases", session: session)
                #expect(list.html.contains(device.identity.serial.text) && list.html.contains("To confirm"))
                let envelope = try await Self.get(client, "/dashboard", session: session)
                #expect(envelope.html.contains("✉ 2"), "two unread messages: opened, to confirm")
                let messages = try await Self.get(client, "/messages", session: session)
                #expect(messages.html.contains("the reset code or file is ready"))
                #expect(try await Self.get(client, "/dashboard", session: session).html.contains("✉ 2") == false, "read once opened")

                let id = String(location.dropFirst("/cases/".count).prefix { $0 != "?" })
                let closed = try await Self.post(client, "/cases/\(id)/close", session: session)
                #expect(closed.status == 303)
                #expect(try await Self.get(client, "/cases/\(id)", session: session).html.contains("Closed by the installer."))
            }
        }
    }

    @Test func aPhotoThatCannotBeReadTellsWhenAReviewerWillLookAndTheReviewerApprovesOnTheDesk() async throws {
        try await withTestPlatform { platform in
            let installer = try await platform.account(.installer, certified: true)
            let session = try await platform.services.accounts.startSession(for: installer)
            let reviewer = try await platform.services.accounts.startSession(for: try await platform.account(.reviewer))
            let stranger = try await platform.services.accounts.startSession(for: try await platform.account(.installer, certified: true))
            let (device, challenge) = try await CaseFlowTests.device(platform)
            let blank = try #require(QRCode("not a label")).png(scale: 4)
            try await platform.application.test(.router) { client in
                let sent = try await Self.submit(client, session: session, challenge: challenge, photo: blank)
                let location = try #require(sent.location)
                let id = String(location.dropFirst("/cases/".count).prefix { $0 != "?" })
                await platform.services.cases.sweepNow()
                let waiting = try await Self.get(client, location, session: session)
                #expect(waiting.html.contains("id=\"case-waiting\"") && waiting.html.contains("A reviewer will look at it by"))
                #expect(try await Self.get(client, "/cases/\(id)", session: stranger).status == 404, "another company's case")

                let desk = try await Self.get(client, "/desk", session: reviewer)
                #expect(desk.html.contains("id=\"desk-\(id)\"") && desk.html.contains("/api/v1/cases/\(id)/photo"))
                #expect(desk.html.contains(device.identity.labelCode), "the enrollment record's verification code, beside the photo")
                #expect(try await Self.get(client, "/desk", session: session).status == 403, "installers have no desk")
                let approved = try await Self.post(client, "/desk/\(id)/approve", session: reviewer)
                #expect(approved.status == 303 && approved.location == "/desk?done=approved")
                #expect(try await Self.get(client, "/cases/\(id)", session: session).html.contains("id=\"reset-key\""))
                #expect(try await Self.get(client, "/desk", session: reviewer).html.contains("id=\"desk-empty\""))
            }
            try await platform.waitForMail(3)
            #expect(platform.mailer.messages.contains { $0.to == installer.email && $0.subject.contains("To confirm") })
        }
    }

    @Test func theSessionCookieNeverChangesAnythingThroughTheAPI() async throws {
        try await withTestPlatform { platform in
            let installer = try await platform.account(.installer, certified: true)
            let session = try await platform.services.accounts.startSession(for: installer)
            let (device, challenge) = try await CaseFlowTests.device(platform)
            let value = try await platform.services.cases.open(
                .init(channel: .otherNetwork, challenge: challenge, photo: CaseFlowTests.label(of: device), acknowledged: true),
                by: installer)
            try await platform.application.test(.router) { client in
                // What another site's form could make a signed-in browser send.
                let status = try await client.execute(
                    uri: "/api/v1/cases/\(value.id)/close", method: .post, headers: [.cookie: "reclaim_portal=\(session)"]
                ) { Int($0.status.code) }
                #expect(status == 401)
                // Reading with the cookie works: the desk and the case page show the photo that way.
                let photo = try await client.execute(
                    uri: "/api/v1/cases/\(value.id)/photo", method: .get, headers: [.cookie: "reclaim_portal=\(session)"]
                ) { Int($0.status.code) }
                #expect(photo == 200)
            }
            #expect(try await platform.services.cases.find(id: value.id)?.state != .closed)
        }
    }
}
