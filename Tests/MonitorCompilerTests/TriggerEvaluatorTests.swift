import Foundation
import MonitorCompiler
import StellantisModels
import XCTest

final class TriggerEvaluatorTests: XCTestCase {
    // 2026-01-05 is a Monday; 21:30 UTC = 22:30 in Paris.
    let mondayEvening = Date(timeIntervalSince1970: 1_767_648_600)

    func data(_ path: String, _ op: DataTrigger.Op, _ v: [String]? = nil) -> MonitorTrigger {
        .data("d", DataTrigger(data: path, op: op, value: v))
    }

    func testDataTriggers() {
        let s = MonitorSnapshot(date: mondayEvening,
                                data: ["vehicle.energy.electric.level": .number(19.5),
                                       "vehicle.energy.charging.plugged": .bool(true),
                                       "vehicle.energy.charging.status": .string("Stopped"),
                                       "vehicle.alert": .list(["AddWasherFluid"])],
                                previous: ["vehicle.energy.charging.status": .string("InProgress")])
        XCTAssertTrue(TriggerEvaluator.isSatisfied(data("vehicle.energy.electric.level", .lowerThan, ["20"]), in: s))
        XCTAssertFalse(TriggerEvaluator.isSatisfied(data("vehicle.energy.electric.level", .greaterThan, ["20"]), in: s))
        XCTAssertFalse(TriggerEvaluator.isSatisfied(data("vehicle.energy.electric.level", .equalsTo, ["19"]), in: s))
        XCTAssertTrue(TriggerEvaluator.isSatisfied(data("vehicle.energy.charging.plugged", .equalsTo, ["true"]), in: s))
        XCTAssertTrue(TriggerEvaluator.isSatisfied(data("vehicle.energy.charging.status", .includedIn, ["Failure", "Stopped"]), in: s))
        XCTAssertTrue(TriggerEvaluator.isSatisfied(data("vehicle.energy.charging.status", .onChange), in: s))
        XCTAssertTrue(TriggerEvaluator.isSatisfied(data("vehicle.energy.charging.plugged", .onChange), in: s),
                      "a first value counts as a change")
        XCTAssertTrue(TriggerEvaluator.isSatisfied(data("vehicle.alert", .equalsTo, ["AddWasherFluid"]), in: s))
        XCTAssertFalse(TriggerEvaluator.isSatisfied(data("vehicle.kinetic.speed", .lowerThan, ["5"]), in: s),
                       "unknown data satisfies nothing")
    }

    func testZoneTriggersBoundaryInside() {
        let center = ZoneTrigger.Center(latitude: 48.8667, longitude: 2.3333)
        let zIn = MonitorTrigger.zone("z", ZoneTrigger(transition: .in, place: .init(center: center, radius: 2)))
        let zOut = MonitorTrigger.zone("z", ZoneTrigger(transition: .out, place: .init(center: center, radius: 2)))
        let near = MonitorSnapshot(date: mondayEvening, latitude: 48.8667 + 1.9 / 111.2, longitude: 2.3333)
        let far = MonitorSnapshot(date: mondayEvening, latitude: 48.8667 + 2.1 / 111.2, longitude: 2.3333)
        XCTAssertTrue(TriggerEvaluator.isSatisfied(zIn, in: near))
        XCTAssertFalse(TriggerEvaluator.isSatisfied(zOut, in: near))
        XCTAssertFalse(TriggerEvaluator.isSatisfied(zIn, in: far))
        XCTAssertTrue(TriggerEvaluator.isSatisfied(zOut, in: far))
        XCTAssertFalse(TriggerEvaluator.isSatisfied(zOut, in: MonitorSnapshot(date: mondayEvening)), "no position")
    }

    func testDailyWindowWrapsMidnightAndBelongsToItsOpeningDay() {
        let entry = TimeTriggerEntry(recurrence: .daily, start: "PT22H", duration: "PT8H", occurence: .init(day: ["Mon"]))
        let t = MonitorTrigger.time("t", TimeTrigger(times: [entry], timeZone: "Europe/Paris"))
        func at(_ offsetHours: Double) -> MonitorSnapshot {
            MonitorSnapshot(date: mondayEvening.addingTimeInterval(offsetHours * 3600))
        }
        XCTAssertTrue(TriggerEvaluator.isSatisfied(t, in: at(0)))       // Mon 22:30
        XCTAssertTrue(TriggerEvaluator.isSatisfied(t, in: at(7)))       // Tue 05:30
        XCTAssertFalse(TriggerEvaluator.isSatisfied(t, in: at(8)))      // Tue 06:30
        XCTAssertFalse(TriggerEvaluator.isSatisfied(t, in: at(-1)))     // Mon 21:30
        XCTAssertFalse(TriggerEvaluator.isSatisfied(t, in: at(24)))     // Tue 22:30: not a Tuesday window
        let utc = MonitorTrigger.time("t", TimeTrigger(times: [
            TimeTriggerEntry(recurrence: .daily, start: "PT21H", duration: "PT1H")], timeZone: "Etc/UTC"))
        XCTAssertTrue(TriggerEvaluator.isSatisfied(utc, in: at(0)))     // 21:30 UTC, every day
    }

    func testBoolExpParsingAndEvaluation() throws {
        let e = try BoolExpression.parse("((a & !b) | c)")
        XCTAssertTrue(e.evaluate { $0 == "a" })
        XCTAssertFalse(e.evaluate { $0 == "a" || $0 == "b" })
        XCTAssertTrue(e.evaluate { $0 == "c" })
        XCTAssertThrowsError(try BoolExpression.parse("a & b | c"))
        XCTAssertThrowsError(try BoolExpression.parse("(a & b"))
        XCTAssertThrowsError(try BoolExpression.parse("a &"))
        let monitor = MonitorParameter(label: "m", triggerParam: TriggerParam(
            triggers: [data("vehicle.energy.electric.level", .lowerThan, ["20"])], boolExp: "(d & x)"))
        XCTAssertThrowsError(try TriggerEvaluator.isSatisfied(monitor, in: MonitorSnapshot(date: mondayEvening)))
    }
}
