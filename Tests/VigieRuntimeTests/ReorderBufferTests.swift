import Foundation
import VehicleData
import XCTest
@testable import VigieRuntime

/// The engine loop's event-time buffer: (instant, arrival) order, the watermark, the
/// batch limit, and the inbox position it reports.
final class ReorderBufferTests: XCTestCase {
    private func at(_ s: Double) -> Date { Date(timeIntervalSince1970: 1_795_000_000 + s) }

    func testInputsComeOutInInstantThenArrivalOrderOnceTheWatermarkPassesThem() {
        var b = ReorderBuffer()
        b.add(vin: "A", at: at(3), Observation(), inboxId: 1)
        b.add(vin: "B", at: at(1), Observation(), inboxId: 2)
        b.add(vin: "C", at: at(3), Observation(), inboxId: nil)     // a poll at the same instant as A, later
        b.add(vin: "D", at: at(2), Observation(), inboxId: 3)
        b.add(vin: "E", at: at(9), Observation(), inboxId: 4)
        XCTAssertEqual(b.takeReady(through: at(0.5), limit: 10).map(\.vin), [])
        XCTAssertEqual(b.takeReady(through: at(3), limit: 10).map(\.vin), ["B", "D", "A", "C"], "at the watermark is ready")
        XCTAssertEqual(b.count, 1)
        XCTAssertEqual(b.takeReady(through: at(100), limit: 10).map(\.vin), ["E"])
        XCTAssertTrue(b.isEmpty)
    }

    func testTheLimitBoundsOneStep() {
        var b = ReorderBuffer()
        for i in 0..<5 { b.add(vin: "V\(i)", at: at(Double(5 - i)), Observation(), inboxId: Int64(i + 1)) }
        XCTAssertEqual(b.takeReady(through: at(10), limit: 2).map(\.vin), ["V4", "V3"])
        XCTAssertEqual(b.takeReady(through: at(10), limit: 2).map(\.vin), ["V2", "V1"])
        XCTAssertEqual(b.takeReady(through: at(10), limit: 2).map(\.vin), ["V0"])
    }

    func testTakeAllKeepsArrivalOrder() {
        var b = ReorderBuffer()
        b.add(vin: "late", at: at(5), Observation(), inboxId: 1)
        b.add(vin: "early", at: at(1), Observation(), inboxId: 2)
        XCTAssertEqual(b.takeAll().map(\.vin), ["late", "early"])
        XCTAssertTrue(b.isEmpty)
    }

    func testThePositionStopsBelowTheOldestHeldRow() {
        var b = ReorderBuffer()
        XCTAssertEqual(b.position, 0)
        b.add(vin: "A", at: at(9), Observation(), inboxId: 4)
        b.add(vin: "B", at: at(1), Observation(), inboxId: 5)
        b.add(vin: "P", at: at(0), Observation(), inboxId: nil)
        b.read(upTo: 7)                                              // rows 6 and 7 were remote events
        XCTAssertEqual(b.position, 3, "row 4 is held")
        _ = b.takeReady(through: at(2), limit: 10)
        XCTAssertEqual(b.position, 3, "row 4 is still held")
        _ = b.takeReady(through: at(9), limit: 10)
        XCTAssertEqual(b.position, 7)
        b.read(upTo: 5)
        XCTAssertEqual(b.readUpTo, 7, "never goes back")
        b.reset()
        XCTAssertEqual(b.readUpTo, 0)
    }
}
