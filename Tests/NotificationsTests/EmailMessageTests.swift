import Foundation
import Notifications
import XCTest

final class EmailMessageTests: XCTestCase {
    func testRenderedHeadersAndDotStuffing() {
        let email = EmailMessage(from: "a@example.com", to: ["b@example.com"], subject: "Plain subject",
                                 body: ".starts with a dot\nx", messageID: "<id-1@example.com>",
                                 date: Date(timeIntervalSince1970: 1_796_608_800))
        XCTAssertEqual(email.rendered, "Date: Mon, 07 Dec 2026 02:00:00 +0000\r\nFrom: a@example.com\r\nTo: b@example.com\r\n"
            + "Subject: Plain subject\r\nMessage-ID: <id-1@example.com>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + ".starts with a dot\r\nx\r\n")
        XCTAssertTrue(String(decoding: email.dotStuffed, as: UTF8.self).contains("\r\n..starts with a dot\r\n"))
    }

    func testQuotedPrintableSoftBreaksAndTrailingSpace() {
        let email = EmailMessage(from: "a@example.com", to: ["b@example.com"], subject: "s",
                                 body: String(repeating: "é", count: 40) + "\nend = ", messageID: "<i@e>", date: Date())
        let body = email.rendered.components(separatedBy: "\r\n\r\n")[1]
        let lines = body.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertTrue(lines.allSatisfy { $0.count <= 76 }, "\(lines)")
        XCTAssertTrue(lines[0].hasSuffix("="))
        XCTAssertEqual(lines.last, "end =3D=20")
    }
}
