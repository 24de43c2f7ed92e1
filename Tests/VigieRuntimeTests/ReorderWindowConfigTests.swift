import Foundation
import VigieRuntime
import XCTest

/// `engine.reorder_window` in `vigie.yaml` and what `RuntimeSettings` makes of it.
final class ReorderWindowConfigTests: XCTestCase {
    var folder: ConfigFolder!

    override func setUpWithError() throws { folder = try ConfigFolder() }
    override func tearDown() { folder.remove() }

    func testTheWindowDefaultsToTwoSecondsInAConfigurationAndToNoneInCode() throws {
        let config = try folder.load(ConfigFolder.minimal)
        XCTAssertEqual(config.reorderWindow, 2)
        XCTAssertEqual(RuntimeSettings(config: config).reorderWindow, 2)
        XCTAssertEqual(RuntimeSettings(webhookSecret: "x").reorderWindow, 0, "code (tests, the demo): as read")
        XCTAssertEqual(RuntimeSettings(webhookSecret: "x").maxClockSkew, 5)
    }

    func testTheWindowIsReadAndZeroTurnsItOff() throws {
        XCTAssertEqual(try folder.load(ConfigFolder.minimal + "engine: {reorder_window: 30s}\n").reorderWindow, 30)
        XCTAssertEqual(try folder.load(ConfigFolder.minimal + "engine:\n  reorder_window: 1.5s\n").reorderWindow, 1.5)
        let off = try folder.load(ConfigFolder.minimal + "engine: {reorder_window: 0}\n")
        XCTAssertEqual(off.reorderWindow, 0)
        XCTAssertEqual(RuntimeSettings(config: off).reorderWindow, 0)
    }

    func testMistakesNameTheirPlace() throws {
        var error = try folder.refuse(ConfigFolder.minimal + "engine: {reorder_window: soon}\n")
        XCTAssertTrue("\(error)".contains("vigie.yaml:10:26: engine.reorder_window must be a duration"), "\(error)")
        error = try folder.refuse(ConfigFolder.minimal + "stale_after: 1m\nengine: {reorder_window: 2m}\n")
        XCTAssertTrue("\(error)".contains("engine.reorder_window (2m) must be shorter than stale_after"), "\(error)")
        error = try folder.refuse(ConfigFolder.minimal + "engine: {reorder_windows: 2s}\n")
        XCTAssertTrue("\(error)".contains("reorder_windows"), "\(error)")
    }
}
