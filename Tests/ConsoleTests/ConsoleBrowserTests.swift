import Console
import Foundation
import OutcomeStore
import RuleLanguage
import Simulator
import VehicleData
import VigieKit
import VigieRuntime
import VigieTestSupport
import XCTest

/// The console in a real browser (Debian's headless chromium through chromedriver)
/// against a live runtime fed by the simulator over its real webhook: log in, open a
/// vehicle, see a live update arrive after notifications are POSTed, pause and resume a
/// rule, open a trace. Fails when chromium or chromedriver is missing. With
/// `VIGIE_CONSOLE_SCREENSHOTS=docs/images` it saves the screenshots docs/console.md shows.
final class ConsoleBrowserTests: XCTestCase {
    func testLogInWatchAVehiclePauseResumeTraceSendAndDeployments() async throws {
        let token = ConsoleSessionsToken.make()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("console-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        let shots = ProcessInfo.processInfo.environment["VIGIE_CONSOLE_SCREENSHOTS"] ?? directory.path

        let result = RuleValidator.validate([SourceFile(path: "e2e.yaml", text: EndToEndScenario.bundle)])
        XCTAssertFalse(result.hasErrors, "\(result.diagnostics)")
        // Monday 23 November 2026, 06:30 in Paris.
        let clock = ManualClock(EndToEndScenario.start)
        var options = DemoStack.Options(databasePath: directory.appendingPathComponent("log.sqlite").path)
        options.vehicles = 3
        options.staleAfter = 6 * 3600
        options.remoteTimeout = 3600
        options.simulatorTick = .milliseconds(2)
        options.consoleToken = token
        let stack = try await DemoStack.start(bundles: result.bundles, options: options, clock: clock) { core, cars in
            await core.adjustVehicle(cars[1].vin) { s in
                s.batteryLevel = 15; s.plugged = true; s.charging = false; s.chargeFinished = false; s.chargeFailed = false
            }
            return []
        }
        let low = stack.vehicles[1].vin
        // Simulated minutes until the low car's charge command has been decided and sent.
        try await run(clock, stack, until: "the charge command is sent") {
            try stack.database.loggedDecisions().contains { $0.decision.vin == low && $0.decision.event == .fired }
        }
        let driver: WebDriver
        do {
            driver = try await WebDriver()
        } catch {
            await stack.stop()
            throw error
        }
        do {
            try await browse(driver, stack: stack, clock: clock, token: token, low: low, shots: shots)
        } catch {
            await driver.quit()
            await stack.stop()
            throw error
        }
        await driver.quit()
        await stack.stop()
    }

    private func browse(_ d: WebDriver, stack: DemoStack, clock: ManualClock, token: String, low: String,
                        shots: String) async throws {
        let base = "http://127.0.0.1:\(try XCTUnwrap(stack.runtime.adminPort))"
        // Log in.
        try await d.go(base + "/console")
        try await d.wait("the login form") { try await d.url.hasSuffix("/console/login") }
        try await d.screenshot(to: "\(shots)/console-login.png")
        try await d.type("#token", token)
        try await d.click("form.login button")
        try await d.wait("the overview") { try await d.text().contains("Session & API") }
        try await d.wait("the live stream") { try await d.stream() == "live" }
        let overview = try await d.text()
        XCTAssertTrue(overview.contains("Latest decisions"))
        try await d.screenshot(to: "\(shots)/console-overview.png")
        try await d.go(base + "/console/vehicles")
        try await d.wait("the vehicles") { try await d.text().contains(low) }
        try await d.screenshot(to: "\(shots)/console-vehicles.png")

        // One vehicle; notifications POSTed by the simulator to the webhook update it live.
        try await d.go(base + "/console/vehicles/\(low)")
        try await d.wait("the vehicle page") { try await d.text().contains("low-battery-charge") }
        try await d.wait("the live stream") { try await d.stream() == "live" }
        let refreshed = try await d.script("return document.body.getAttribute('data-refreshed');")
        XCTAssertNil(refreshed)
        let before = try stack.database.consoleOverview(scope: "serve", now: clock.now()).lastInboxId
        let deadline = Date().addingTimeInterval(30)
        while try await d.script("return document.body.getAttribute('data-refreshed');") == nil {
            guard Date() < deadline else { throw WebDriver.Failure(description: "no live update reached the vehicle page") }
            clock.advance(by: 30)
            try await quiesce(stack, clock)
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        let after = try stack.database.consoleOverview(scope: "serve", now: clock.now()).lastInboxId
        XCTAssertGreaterThan(after, before, "the update came from newly POSTed notifications")
        try await d.screenshot(to: "\(shots)/console-vehicle.png")

        // The rules × vehicles view.
        try await d.go(base + "/console/rules?bundle=e2e")
        try await d.wait("the rules") { try await d.text().contains("e2e/departure") }
        try await d.screenshot(to: "\(shots)/console-rules.png")

        // Pause a rule, with its confirmation, then resume it.
        try await d.go(base + "/console/holds")
        try await d.type("form.pause input[name=bundle]", "e2e")
        try await d.type("form.pause input[name=rule]", "departure")
        try await d.type("form.pause input[name=reason]", "browser test")
        try await d.click("form.pause button")
        try await d.wait("the confirmation") { try await d.text().contains("Pause every command and firing of rule e2e/departure?") }
        XCTAssertTrue(try stack.database.activeHolds().isEmpty, "nothing is paused before the confirmation")
        try await d.screenshot(to: "\(shots)/console-confirm.png")
        try await d.click("#confirm")
        try await d.wait("the pause") { try await d.text().contains("Paused: rule e2e/departure.") }
        let hold = try XCTUnwrap(try stack.database.activeHolds().first)
        XCTAssertEqual([hold.bundle, hold.rule, hold.reason], ["e2e", "departure", "browser test"])
        try await d.go(base + "/console/holds")
        try await d.wait("the hold") { try await d.text().contains("rule e2e/departure") }
        try await d.screenshot(to: "\(shots)/console-holds.png")
        try await d.click("button.resume")
        try await d.wait("the resume confirmation") { try await d.text().contains("Lift pause on rule e2e/departure?") }
        try await d.click("#confirm")
        try await d.wait("the resume") { try await d.text().contains("Resumed: pause on rule e2e/departure.") }
        XCTAssertTrue(try stack.database.activeHolds().isEmpty)

        // A decision's trace, from the vehicle page.
        try await d.go(base + "/console/vehicles/\(low)")
        try await d.wait("the vehicle's decisions") { try await d.text().contains("trace") }
        try await d.click("a[href^='/console/decisions/']")
        try await d.wait("the trace") { let t = try await d.text(); return t.contains("Decision #") && t.contains("Attempt") }
        let trace = try await d.text()
        XCTAssertTrue(trace.contains("charge") || trace.contains("lights"), trace)
        XCTAssertFalse(trace.contains(token))
        XCTAssertTrue(trace.contains("Why: the condition at the decision"), trace)
        XCTAssertTrue(trace.contains("battery.level < 20"), trace)
        try await d.screenshot(to: "\(shots)/console-trace.png")

        // A command sent by hand from the vehicle page, after its confirmation; the
        // dispatcher sends it like a rule's.
        try await d.go(base + "/console/vehicles/\(low)")
        try await d.wait("the command form") { try await d.text().contains("Send a command") }
        try await d.type("#send-action", "horn: on")
        try await d.click("#send")
        try await d.wait("the send confirmation") { try await d.text().contains("Send horn: on to \(low)?") }
        XCTAssertTrue(try stack.database.loggedDecisions(LogFilter(bundle: "manual")).isEmpty, "nothing queued before")
        try await d.screenshot(to: "\(shots)/console-send.png")
        try await d.click("#confirm")
        try await d.wait("the command queued") { try await d.text().contains("Queued: horn: on for \(low)") }
        try await run(clock, stack, until: "the manual command is sent") {
            try stack.database.loggedDecisions(LogFilter(bundle: "manual")).first?.actionRecords.first?.remoteActionId != nil
        }

        // The monitors apply deployed, per vehicle, with the rules each serves.
        try await d.go(base + "/console/deployments")
        try await d.wait("the deployments") { try await d.text().contains("e2e/low-battery-charge") }
        try await d.screenshot(to: "\(shots)/console-deployments.png")
    }

    /// Moves simulated time 10 s at a time until `condition` holds (at most 2 simulated hours).
    private func run(_ clock: ManualClock, _ stack: DemoStack, until what: String,
                     _ condition: () throws -> Bool) async throws {
        for _ in 0..<720 {
            if try condition() { return }
            clock.advance(by: 10)
            try await quiesce(stack, clock)
        }
        throw WebDriver.Failure(description: "timed out waiting for \(what)")
    }

    /// Waits until the simulator caught up with the clock and the runtime consumed its inbox.
    private func quiesce(_ stack: DemoStack, _ clock: ManualClock) async throws {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            let caughtUp = await stack.simulator.core.now >= clock.now()
            let pending = await stack.simulator.core.pendingNotifications
            if caughtUp && pending == 0, try stack.database.unprocessedInbox(limit: 1).isEmpty { return }
            try await Task.sleep(nanoseconds: 2_000_000)
        }
    }
}

enum ConsoleSessionsToken {
    static func make() -> String { "browser-" + UUID().uuidString }
}
