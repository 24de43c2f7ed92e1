import Foundation
import StellantisModels
import VehicleData
@testable import WebhookServer
import XCTest

/// The fast path may only accept what the full decoding path accepts, with the same reading.
final class MessageShapeTests: XCTestCase {
    private func full(_ item: JSONValue) -> WebhookMessage? {
        guard case .object = item,
              let message = try? JSONDecoder().decode(WebhookMessage.self, from: Data(MessageJSON.bytes(item))),
              InboundMessage.validate(message) == nil else { return nil }
        return message
    }

    func testAgreesWithTheFullPathOnMutatedMessages() throws {
        let seeds = [SampleMessages.monitor(), SampleMessages.remote(), SampleMessages.wrongType,
                     SampleMessages.remoteWithoutId].map { try! JSONValue(parsing: $0) }
        let replacements: [JSONValue] = [.null, .bool(true), .number(3), .string("Remote"), .string(""),
                                         .array([]), .object([:]), .array([.object(["key": .string("vin"), "value": .string("V9")])])]
        var accepted = 0
        var generator = SystemRandomNumberGenerator()
        for seed in seeds {
            for _ in 0..<400 {
                let item = mutate(seed, replacements, &generator)
                let message = full(item)
                if InboundMessage.hasUsableShape(item) {
                    let shape = try InboundMessage.read(item).get()
                    accepted += 1
                    let decoded = try XCTUnwrap(message, "fast path accepted what decoding refuses: \(item)")
                    XCTAssertEqual(shape.vin, InboundMessage.vin(of: decoded))
                    XCTAssertEqual(shape.type, decoded.type?.rawValue)
                    XCTAssertEqual(shape.eventDate, InboundMessage.eventDate(of: decoded))
                }
            }
        }
        XCTAssertGreaterThan(accepted, 100)
    }

    /// Replaces one value somewhere in the tree (or removes a key).
    private func mutate(_ value: JSONValue, _ replacements: [JSONValue], _ g: inout SystemRandomNumberGenerator) -> JSONValue {
        switch value {
        case .object(var o) where !o.isEmpty:
            let key = o.keys.sorted().randomElement(using: &g)!
            switch Int.random(in: 0..<4, using: &g) {
            case 0: o[key] = replacements.randomElement(using: &g)!
            case 1: o[key] = nil
            default: o[key] = mutate(o[key]!, replacements, &g)
            }
            return .object(o)
        case .array(var a) where !a.isEmpty:
            let i = Int.random(in: 0..<a.count, using: &g)
            a[i] = Bool.random(using: &g) ? replacements.randomElement(using: &g)! : mutate(a[i], replacements, &g)
            return .array(a)
        default:
            return Int.random(in: 0..<3, using: &g) == 0 ? replacements.randomElement(using: &g)! : value
        }
    }
}
