import Foundation
import OutcomeStore
import VehicleData
import XCTest

/// The engine step writes `firing.actions` around the payloads it encodes once; the text is
/// the encoder's for the whole array, byte for byte.
final class StoredActionsTests: XCTestCase {
    func testTheActionsTextIsTheEncodersAndPayloadsAreEachActions() {
        let cases: [[DecisionRecord.Action]] = [
            [],
            [.remote(.object(["horn": .object(["state": .string("on")])]))],
            [.notify("battery \"low\" / 15 % — é 🚗\n"), .remote(.object(["url": .string("https://x/y"), "n": .number(1.5)]))],
            [.remote(.object(["b": .array([.number(1), .number(-0.25), .bool(true), .null]), "a": .string("\\u{1}\t")])),
             .remote(.object([:])), .notify("")],
        ]
        for actions in cases {
            let stored = OutcomeDatabase.storedActions(actions)
            XCTAssertEqual(stored.json, StoreJSON.string(.array(actions.map(\.jsonValue))))
            XCTAssertEqual(stored.payloads, actions.map(\.payload))
        }
    }
}
