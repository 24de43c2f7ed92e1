import Foundation
import Hummingbird
import HummingbirdTesting
import OutcomeStore
import VehicleData
import VigieTestSupport
@testable import WebhookServer
import XCTest

/// A seeded fuzzer of webhook bodies: mutated valid messages, alone or batched, posted to
/// the receiver. Never a crash or a 500; every item is either stored (or recognised as a
/// duplicate) or dead-lettered, and the answers' counts add up to what the database holds.
final class WebhookFuzzTests: XCTestCase {
    private static let secret = "fuzz-Secret-0123456789abcdef"

    func testMutatedBodiesAreAlwaysStoredOrDeadLettered() async throws {
        let fuzz = FuzzRun(defaultCases: 3_000, defaultSeed: 0x5EED_0006)
        try await run(bodies: (0..<fuzz.cases).map { index in
            var generator = SeededRandom(seed: fuzz.seed &+ UInt64(index))
            return WebhookBodyMutator.body(&generator)
        }, label: "seed \(fuzz.seed)")
    }

    /// Inputs that once broke (or nearly broke) the receiver, kept as regression cases.
    func testKeptRegressionInputs() async throws {
        try await run(bodies: WebhookBodyMutator.regressions, label: "regression")
    }

    private func run<S: Sequence & Sendable>(bodies: S, label: String) async throws where S.Element == String {
        let store = try OutcomeDatabase.inMemory()
        let configuration = WebhookConfiguration(secret: Self.secret, maxBodyBytes: 1 << 20)
        let app = Application(router: buildRouter(configuration: configuration, committer: InboxCommitter(database: store)))
        let totals = try await app.test(.router) { client in
            var totals = (stored: 0, duplicates: 0, deadLetters: 0, items: 0, requests: 0)
            for body in bodies {
                let answer = try await client.execute(uri: "/webhook/\(Self.secret)", method: .post,
                                                      headers: [.contentType: "application/json"],
                                                      body: ByteBuffer(string: body)) { response in
                    (response.status, try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Int])
                }
                let context = "\(label): \(body.prefix(300))"
                XCTAssertEqual(answer.0, .ok, context)
                guard let counts = answer.1, let stored = counts["stored"], let duplicates = counts["duplicates"],
                      let deadLetters = counts["deadLetters"] else {
                    XCTFail("no counts in the answer: \(context)")
                    continue
                }
                let items = Self.itemCount(body)
                XCTAssertEqual(stored + duplicates + deadLetters, items, context)
                totals.stored += stored
                totals.duplicates += duplicates
                totals.deadLetters += deadLetters
                totals.items += items
                totals.requests += 1
            }
            return totals
        }
        XCTAssertEqual(try store.inbox().count, totals.stored)
        XCTAssertEqual(try store.deadLetters().count, totals.deadLetters)
        XCTAssertGreaterThan(totals.stored, 0, "the fuzzer should keep some messages valid")
        XCTAssertGreaterThan(totals.deadLetters, 0, "the fuzzer should break some messages")
    }

    /// Items in a body as the receiver counts them: an array's elements, else one.
    private static func itemCount(_ body: String) -> Int {
        if case .array(let items)? = try? JSONValue(parsing: body) { return items.count }
        return 1
    }
}
