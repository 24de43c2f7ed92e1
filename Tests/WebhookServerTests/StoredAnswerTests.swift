import Foundation
import Hummingbird
import OutcomeStore
import WebhookServer
import XCTest

/// The 200 of a stored request is spelled directly; its bytes are those `JSONSerialization`
/// with sorted keys wrote before.
final class StoredAnswerTests: XCTestCase {
    func testTheAnswerIsTheSortedKeysJSONOfTheCounts() throws {
        for (stored, duplicates, deadLetters) in [(0, 0, 0), (1, 0, 0), (5_000, 12, 3), (7, 1_234_567, 89)] {
            let receipt = IntakeReceipt(storedIds: (0..<stored).map(Int64.init), duplicates: duplicates,
                                        deadLetters: deadLetters)
            let object: [String: Int] = ["stored": stored, "duplicates": duplicates, "deadLetters": deadLetters]
            let expected = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            XCTAssertEqual(WebhookController<BasicRequestContext>.storedText(receipt),
                           String(decoding: expected, as: UTF8.self))
        }
    }
}
