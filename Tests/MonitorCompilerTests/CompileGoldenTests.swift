import Foundation
import MonitorCompiler
import RuleLanguage
import StellantisModels
import VehicleData
import VigieTestSupport
import XCTest

/// Golden outputs for every construct and every fallback (Tests/Fixtures/compile/<case>.json
/// and .txt); regenerate with VIGIE_UPDATE_GOLDENS=1 and review the diff. Every emitted
/// monitor is also validated against the official schema.
final class CompileGoldenTests: XCTestCase {
    typealias B = BundleBuilder

    static let cases: [(name: String, bundles: [CheckedBundle], api: MonitorAPI)] = [
        ("thresholds-integral", [B.bundle("thresholds", [
            B.rule("le", B.cmp("battery.level", .le, 20)),
            B.rule("ge", B.cmp("battery.level", .ge, 20)),
            B.rule("lt", B.cmp("fuel.level", .lt, 15)),
            B.rule("gt-fractional", B.cmp("autonomy", .gt, 99.5)),
        ])], .b2c),
        ("thresholds-fractional", [B.bundle("speeds", [
            B.rule("fast", B.cmp("speed", .ge, 130)),
            B.rule("strict", B.cmp("speed", .gt, 130)),
            B.rule("cold", B.cmp("outside.temperature", .le, -5.5)),
            B.rule("exact-speed", B.cmp("speed", .eq, 50.5)),
        ])], .b2c),
        ("enums-and-lists", [B.bundle("charging", [
            B.rule("not-charging", .and([B.isTrue("charging.plugged"), B.ne("charging.status", "InProgress")])),
            B.rule("stopped", .member(B.id("charging.status"), [.member("Stopped"), .member("Failure")], negated: false)),
            B.rule("not-private", .member(B.id("privacy"), [.member("Full")], negated: true)),
            B.rule("unplugged", .not(B.isTrue("charging.plugged"))),
            B.rule("negated-and", .not(.and([B.cmp("battery.level", .lt, 20), B.isTrue("moving")]))),
        ])], .b2c),
        ("or-merged-into-includedIn", [B.bundle("merge", [
            B.rule("status-or", .or([B.eq("charging.status", "Stopped"), B.eq("charging.status", "Failure"),
                                     B.eq("charging.status", "Stopped")])),
            B.rule("tyres", .or([.contains(B.id("alerts"), "LeftFrontTirePuncture"),
                                 .contains(B.id("alerts"), "RightFrontTirePuncture")])),
        ])], .b2c),
        ("zones", [B.bundle("zones", [
            B.rule("at-depot", .inside(B.depot)),
            B.rule("near-depot", .inside(Zone(name: "yard", latitude: 45.75, longitude: 4.85, radiusMeters: 1500))),
            B.rule("away", .not(.inside(Zone(name: "home", latitude: 43.6, longitude: 1.44, radiusMeters: 2500)))),
            B.rule("away-small", .and([.not(.inside(Zone(name: "spot", latitude: 43.6, longitude: 1.44, radiusMeters: 500))),
                                        B.cmp("battery.level", .lt, 30)])),
            B.rule("arrived", .entered(B.depot)),
            B.rule("departed", .left(B.depot)),
        ])], .b2c),
        ("schedules-and-timing", [
            B.bundle("night", [
                B.rule("off-peak-charge", .and([B.cmp("battery.level", .lt, 80), B.isTrue("charging.plugged")]),
                       during: [B.offPeak], for: 300),
                B.rule("weekend", B.cmp("battery.level", .lt, 50),
                       during: [Schedule(name: "weekend", days: [.sat, .sun], fromMinute: 0, toMinute: 0),
                                Schedule(name: "evening", days: [.fri], fromMinute: 18 * 60, toMinute: 1440)],
                       repeat: 3600),
                B.rule("outside-hours", .and([.not(.within(B.offPeak)), B.isTrue("moving")])),
            ]),
            B.bundle("utc", [B.rule("morning", B.isTrue("moving"),
                                    during: [Schedule(name: "morning", fromMinute: 7 * 60 + 30, toMinute: 9 * 60)])],
                     timeZone: "UTC"),
        ], .b2c),
        ("fallbacks", [B.bundle("fallbacks", [
            B.rule("partly-local", .and([B.cmp("battery.level", .lt, 20), .not(B.isTrue("doors.locked"))]), for: 120),
            B.rule("unlocked", .not(B.isTrue("doors.locked"))),
            B.rule("stable-status", .not(.changed(B.id("charging.status")))),
            B.rule("status-changed", .changed(B.id("charging.status"))),
            B.rule("tautology", .or([B.eq("charging.status", "InProgress"), B.ne("charging.status", "InProgress")])),
            B.rule("never", .constant(false)),
            B.rule("six-conditions", .and([
                B.cmp("battery.level", .lt, 20), B.cmp("fuel.level", .lt, 20), B.cmp("speed", .lt, 5),
                B.cmp("odometer", .gt, 1000), B.isTrue("charging.plugged"), B.eq("privacy", "None"),
            ])),
            B.rule("ignition-zone", .and([B.eq("ignition", "Start"), .inside(B.depot)]), for: 30),
        ])], .b2c),
        ("shared-monitors", [
            B.bundle("a", [B.rule("low", B.cmp("battery.level", .lt, 20))]),
            B.bundle("b", [B.rule("low-too", B.cmp("battery.level", .lt, 20), for: 600,
                                  actions: [.notify(Template(parts: [.vin, .text(": "), .field(B.id("odometer"))],
                                                             source: "{{vin}}: {{odometer}}"))])]),
        ], .b2c),
        ("b2b-fleet", [B.bundle("fleet", [
            B.rule("low", .and([B.cmp("battery.level", .lt, 20), .inside(B.depot)]), for: 300),
            B.rule("moving", B.isTrue("moving")),
        ])], .b2b),
    ]

    func testGoldenOutputs() throws {
        for c in Self.cases {
            let compilation = MonitorCompiler.compile(c.bundles, options: CompileOptions(api: c.api))
            for m in compilation.monitors {
                XCTAssertEqual(try OfficialSchemas.violations(m.monitor, api: c.api), [], "\(c.name): \(m.monitor.label)")
                XCTAssertLessThanOrEqual(m.monitor.triggerParam.triggers.count, 5)
            }
            XCTAssertLessThanOrEqual(compilation.monitors.count, 5)
            try Golden.check(CompilationReport.json(compilation), "compile/\(c.name).json")
            try Golden.check(CompilationReport.text(compilation), "compile/\(c.name).txt")
        }
    }
}

/// Compares output with a committed golden file; `VIGIE_UPDATE_GOLDENS=1` rewrites it.
enum Golden {
    static func check(_ actual: String, _ relative: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = SharedFiles.repoFile("Tests/Fixtures/" + relative)
        if ProcessInfo.processInfo.environment["VIGIE_UPDATE_GOLDENS"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("missing golden \(relative); run with VIGIE_UPDATE_GOLDENS=1", file: file, line: line)
            return
        }
        XCTAssertEqual(actual, expected, "golden \(relative) differs (VIGIE_UPDATE_GOLDENS=1 to update)", file: file, line: line)
    }
}
