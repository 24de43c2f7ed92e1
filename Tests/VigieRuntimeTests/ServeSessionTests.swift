import AsyncHTTPClient
import Foundation
import OutcomeStore
import StellantisAPI
import XCTest
@testable import VigieRuntime

/// Never deaf, while running: the session dies (its tokens revoked, so the refresh is
/// refused) — the command waits in the outbox instead of failing, `/readyz` answers 503
/// with the reason and `vigie_api_ready` is 0; a `vigie login` (new tokens in the token
/// store) is taken up without a restart and the command goes out, once.
final class ServeSessionTests: XCTestCase {
    func testASessionDyingWhileRunningMakesCommandsWaitUntilTheNextLogin() async throws {
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let runtime = try await h.startRuntime(rules: ServeRuntimeTests.hornRule) { settings in
            settings.apiRetryBase = 0.05
            settings.apiRetryCap = 0.2
        }
        try await h.waitUntil("ready", step: 0) { runtime.readiness.ready }
        let vin = h.vins[0]

        // The session dies: both tokens revoked at the API.
        let dead = try XCTUnwrap(try h.tokenStore.load())
        await h.core.revoke(dead.accessToken)
        await h.core.revoke(dead.refreshToken)

        let status = try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "15"])
        XCTAssertEqual(status, 200)
        try await h.waitUntil("the API is marked unavailable", step: 0) { !runtime.readiness.ready }
        let reason = try XCTUnwrap(runtime.readiness.reason)
        XCTAssertTrue(reason.hasPrefix("session unavailable: authentication failed"), reason)
        XCTAssertEqual(runtime.metrics.value(RuntimeMetrics.apiReady), 0)
        let (code, text) = try await h.get("/readyz")
        XCTAssertEqual(code, 503)
        XCTAssertEqual(text, "not ready: \(reason)\n")
        // Well past the three tries a failing command would get: it still waits.
        try await Task.sleep(nanoseconds: 500_000_000)
        let waiting = try XCTUnwrap(try h.actions().first { $0.kind == "remote" })
        XCTAssertEqual(waiting.actionStatus, .queued, "the command waits for the session")
        XCTAssertNil(waiting.remoteActionId, "nothing reached the car")

        // `vigie login`: new tokens in the store the running serve reads.
        let fresh = await h.core.bootstrapTokens()
        try h.tokenStore.save(StoredTokens(accessToken: fresh.access, refreshToken: fresh.refresh,
                                           expiresAt: Date().addingTimeInterval(Double(fresh.expiresIn))))
        try await h.waitUntil("ready again after the login", step: 0) { runtime.readiness.ready }
        try await h.waitUntil("the command succeeds", step: 1) {
            try h.actions().first { $0.kind == "remote" }?.actionStatus == .succeeded
        }
        let remotes = try await h.simulatorRemotes(vin)
        XCTAssertEqual(remotes.count, 1, "sent exactly once, after the login")
        XCTAssertEqual(runtime.metrics.value(RuntimeMetrics.apiReady), 1)
        XCTAssertEqual(runtime.metrics.value(RuntimeMetrics.commands, ["outcome": "failed"]), 0)
        let (after, _) = try await h.get("/readyz")
        XCTAssertEqual(after, 200)
    }
}
