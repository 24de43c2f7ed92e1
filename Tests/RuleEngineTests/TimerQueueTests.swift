@testable import RuleEngine
import VigieTestSupport
import XCTest

/// The timer queue (FIFO lanes beside a heap, with its next timer kept at hand) pops
/// timers in exactly the order a sorted list would.
final class TimerQueueTests: XCTestCase {
    func testPopsInTimerOrderWhateverTheLanes() {
        var rng = SeededRandom(seed: 3)
        for round in 0..<200 {
            let laneCount = rng.int(0...4)
            var queue = TimerQueue(lanes: laneCount)
            var reference: [EngineTimer] = []
            var now: Millis = 0
            for _ in 0..<rng.int(1...300) {
                if rng.chance(0.6) {
                    // Mostly `now + d` (in lane order), sometimes out of order or a tie.
                    let d = Millis(rng.pick([0, 10, 30, 60, rng.int(0...100)]))
                    let timer = EngineTimer(at: now + d, kind: UInt8(rng.int(0...2)), index: Int32(rng.int(0...5)),
                                            vehicle: Int32(rng.int(0...5)))
                    let lane = laneCount == 0 || rng.chance(0.2) ? -1 : rng.int(0...laneCount - 1)
                    queue.insert(timer, lane: lane)
                    reference.append(timer)
                } else {
                    now += Millis(rng.int(0...40))
                    reference.sort()
                    while let first = reference.first, first.at <= now {
                        XCTAssertEqual(queue.popMin(through: now), first, "round \(round)")
                        reference.removeFirst()
                    }
                    XCTAssertNil(queue.popMin(through: now), "round \(round)")
                    XCTAssertEqual(queue.min, reference.first, "round \(round)")
                }
            }
            reference.sort()
            for timer in reference { XCTAssertEqual(queue.popMin(through: .max), timer, "round \(round)") }
            XCTAssertNil(queue.min)
        }
    }
}
