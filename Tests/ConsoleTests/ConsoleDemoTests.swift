import Foundation
import Synchronization
import VigieKit
import XCTest

/// `vigie demo` serves the console and prints its URL and token.
final class ConsoleDemoTests: XCTestCase {
    func testTheDemoPrintsTheConsolesURLAndToken() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("console-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        var options = DemoOptions()
        options.rules = [root.appendingPathComponent("Rules").path]
        options.databasePath = directory.appendingPathComponent("demo.sqlite").path
        options.duration = 1800
        options.timeline = false
        let lines = LineBox()
        let status = await Demo.run(options, in: directory, print: { lines.append($0) }, printError: { lines.append($0) })
        XCTAssertEqual(status, 0, lines.all.joined(separator: "\n"))
        let console = try XCTUnwrap(lines.all.first { $0.hasPrefix("console: ") }, lines.all.joined(separator: "\n"))
        XCTAssertNotNil(console.range(of: #"^console: http://127\.0\.0\.1:[0-9]+/console \(token [0-9a-f]{64}, "#,
                                      options: .regularExpression), console)
    }
}

final class LineBox: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
