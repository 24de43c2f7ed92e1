import XCTest
@testable import RuleLanguage

/// Feedback loops flagged by validate: a rule driven by its own action, and rules that
/// drive each other in a cycle (issue 7), with the rule-level `allow: [feedback]` opt-out.
final class FeedbackTests: XCTestCase {
    func file(_ rules: String, bundle: String = "t", top: String = "") -> String {
        "vigie: 1\nbundle: \(bundle)\n" + top + "rules:\n" + rules
    }

    func codes(_ text: String) -> [String] { diagnose(text).map(\.code) }

    func testStartChargingWhenNotChargingLoopsOnItsOwnAction() {
        let text = file("  - id: r\n    when: charging.plugged and charging.status != InProgress\n    then:\n      - notify: hi\n      - charge: start\n")
        let d = diagnose(text)
        XCTAssertEqual(d.map(\.code), ["feedback-loop"])
        XCTAssertEqual(d.first?.severity, .warning)
        // Reported at the action that loops, not at the notify.
        XCTAssertEqual(d.first.map { "\($0.range.start.line):\($0.range.start.column)" }, "8:9")
        XCTAssertTrue(d.first?.message.contains("charging.status to InProgress") == true, d.first?.message ?? "")
        XCTAssertTrue(d.first?.message.contains("Finished or Failure") == true, d.first?.message ?? "")
    }

    func testSelfLoopByEffectMap() {
        func loop(_ when: String, _ action: String) -> [String] {
            codes(file("  - id: r\n    when: \(when)\n    then: [\(action)]\n"))
        }
        XCTAssertEqual(loop("preconditioning.status != Enabled", "precondition: start"), ["feedback-loop"])
        XCTAssertEqual(loop("charging.status != InProgress", "charge: {at: \"23:30\"}"), ["feedback-loop"])
        XCTAssertEqual(loop("charging.mode == No and charging.plugged", "charge: start"), ["feedback-loop"])
        XCTAssertEqual(loop("changed(odometer)", "wake_up: true"), ["feedback-loop"])
        // Values that last (a lock, a stop) do not come back by themselves.
        XCTAssertEqual(loop("not doors.locked and not moving", "doors: lock"), [])
        XCTAssertEqual(loop("charging.status == InProgress and battery.level > 80", "charge: stop"), [])
        // The action sets a value the condition still allows: no re-arm, no loop.
        XCTAssertEqual(loop("charging.plugged and charging.status != Failure", "charge: start"), [])
        // Conditions that exclude the values charging ends with.
        XCTAssertEqual(loop("charging.status in [Disconnected, Stopped]", "charge: start"), [])
        // Fields no remote changes, and remotes that change nothing.
        XCTAssertEqual(loop("battery.level < 20", "charge: start"), [])
        XCTAssertEqual(loop("not moving and ignition == Stop", "wake_up: true"), [])
        XCTAssertEqual(loop("alarm.active", "horn: on"), [])
        XCTAssertEqual(loop("charging.type == Full", "charge: {level: Level2}"), [])
        XCTAssertEqual(loop("charging.type == Full and charging.plugged", "charge: {type: Partial}"), [])
    }

    func testAllowFeedbackAcknowledgesTheLoop() {
        let text = file("  - id: r\n    when: charging.status != InProgress\n    allow: [feedback]\n    then: [charge: start]\n")
        XCTAssertEqual(codes(text), [])
        let bad = file("  - id: r\n    when: battery.level < 20\n    allow: [feedbak, doors.unlock]\n    then: [charge: start]\n")
        let d = diagnose(bad)
        XCTAssertEqual(d.map(\.code), ["bad-value", "bad-value"])
        XCTAssertEqual(d.first?.notes, ["did you mean `feedback`?"])
        XCTAssertTrue(d.last?.notes.first?.contains("top of the file") == true)
        let topLevel = diagnose(file("  - id: r\n    when: battery.level < 20\n    then: [charge: start]\n", top: "allow: [feedback]\n"))
        XCTAssertEqual(topLevel.map(\.code), ["bad-value"])
        XCTAssertTrue(topLevel.first?.notes.first?.contains("per rule") == true)
    }

    func testStartAndStopDriveEachOtherInACycle() {
        let text = file("  - id: start\n    when: charging.plugged and charging.status != InProgress\n    then: [charge: start]\n"
                        + "  - id: stop\n    when: charging.status == InProgress\n    then: [charge: stop]\n")
        let d = diagnose(text)
        XCTAssertEqual(d.map(\.code), ["feedback-cycle", "feedback-cycle"])
        XCTAssertEqual(d.map { $0.range.start.line }, [6, 9])
        let path = "cycle: `t/start` (charge: start sets charging.status to InProgress) → `t/stop` (charge: stop sets charging.status to Stopped) → `t/start`"
        XCTAssertEqual(d.map { $0.notes.first }, [path, path])
        XCTAssertTrue(d[0].message.contains("rule `stop`"))
        XCTAssertTrue(d[1].message.contains("rule `start`"))
    }

    func testCycleNeedsConditionsThatCanFollowEachOther() {
        // stop needs `moving`, start needs `not moving`: starting cannot make stop fire at once.
        let text = file("  - id: start\n    when: not moving and preconditioning.status != Enabled\n    allow: [feedback]\n    then: [precondition: start]\n"
                        + "  - id: stop\n    when: moving and preconditioning.status == Enabled\n    then: [precondition: stop]\n")
        XCTAssertEqual(codes(text), [])
        // An acknowledged rule takes no part in a cycle.
        let acked = file("  - id: start\n    when: charging.status != InProgress\n    allow: [feedback]\n    then: [charge: start]\n"
                         + "  - id: stop\n    when: charging.status == InProgress\n    then: [charge: stop]\n")
        XCTAssertEqual(codes(acked), [])
    }

    func testThreeRuleCycleReportedOnceAtEachAction() {
        let text = file("  - id: a\n    when: doors.locked\n    then: [precondition: start]\n"
                        + "  - id: b\n    when: preconditioning.status == Enabled\n    then: [charge: stop]\n"
                        + "  - id: c\n    when: charging.status == Stopped\n    then: [doors: unlock]\n", top: "allow: [doors.unlock]\n")
        // c unlocks, which does not make `a` (doors.locked) true: no cycle.
        XCTAssertEqual(codes(text).filter { $0 == "feedback-cycle" }, [])
        let cyclic = text.replacingOccurrences(of: "when: doors.locked", with: "when: not doors.locked")
        let d = diagnose(cyclic).filter { $0.code == "feedback-cycle" }
        XCTAssertEqual(d.map { $0.range.start.line }, [7, 10, 13])
        XCTAssertEqual(Set(d.map { $0.notes.first ?? "" }).count, 1, "one cycle, one path")
    }

    func testCyclesAcrossBundlesValidatedTogether() {
        let a = file("  - id: start\n    when: charging.status != InProgress\n    allow: []\n    then: [charge: start]\n", bundle: "a")
        let b = file("  - id: stop\n    when: charging.status == InProgress\n    then: [charge: stop]\n", bundle: "b")
        let result = RuleValidator.validate([SourceFile(path: "a.yaml", text: a), SourceFile(path: "b.yaml", text: b)])
        let cycles = result.diagnostics.filter { $0.code == "feedback-cycle" }
        XCTAssertEqual(cycles.map(\.range.file), ["a.yaml", "b.yaml"])
        XCTAssertTrue(cycles[0].message.contains("`b/stop`"), cycles[0].message)
        // Bundles on disjoint VIN lists never meet.
        let onA = a.replacingOccurrences(of: "rules:", with: "vehicles: [{vin: VIN1}]\nrules:")
        let onB = b.replacingOccurrences(of: "rules:", with: "vehicles: [{vin: VIN2}]\nrules:")
        let apart = RuleValidator.validate([SourceFile(path: "a.yaml", text: onA), SourceFile(path: "b.yaml", text: onB)])
        XCTAssertEqual(apart.diagnostics.filter { $0.code == "feedback-cycle" }.count, 0)
        XCTAssertEqual(apart.diagnostics.map(\.code), ["feedback-loop"], "a/start still loops on its own")
    }

    func testEveryOwnLoopIsFoundInALargeBundle() {
        var rules = ""
        for i in 0..<1_000 {
            rules += "  - {id: s\(i), when: charging.status != InProgress and battery.level < \(i % 90 + 5), then: [charge: start]}\n"
        }
        let d = diagnose(file(rules))
        XCTAssertEqual(d.filter { $0.code == "feedback-loop" }.count, 1_000)
        XCTAssertEqual(d.filter { $0.code == "feedback-cycle" }.count, 0)
    }

    func testManyRulesStayBounded() {
        var rules = ""
        for i in 0..<400 {
            rules += "  - {id: s\(i), when: charging.status != InProgress and battery.level < \(i % 90 + 5), then: [charge: start]}\n"
            rules += "  - {id: t\(i), when: charging.status == InProgress and battery.level > \(i % 90 + 5), then: [charge: stop]}\n"
        }
        let start = Date()
        let d = diagnose(file(rules)).filter { $0.code == "feedback-cycle" }
        XCTAssertLessThanOrEqual(d.count, FeedbackAnalysis.maxCycles * FeedbackAnalysis.maxCycleLength)
        XCTAssertFalse(d.isEmpty)
        XCTAssertLessThan(Date().timeIntervalSince(start), 30)
    }
}
