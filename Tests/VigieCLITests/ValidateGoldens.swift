import Foundation
import VigieTestSupport
import XCTest

/// Compares text with a committed file; with `VIGIE_UPDATE_GOLDENS=1` in the
/// environment, writes the file instead (then review the diff and commit it).
enum ValidateGoldens {
    static var updating: Bool { ProcessInfo.processInfo.environment["VIGIE_UPDATE_GOLDENS"] == "1" }

    static func check(_ actual: String, against relativePath: String,
                      file: StaticString = #filePath, line: UInt = #line) throws {
        let url = SharedFiles.repoFile(relativePath)
        if updating {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("\(relativePath) is missing; run the tests with VIGIE_UPDATE_GOLDENS=1 to create it",
                    file: file, line: line)
            return
        }
        XCTAssertEqual(actual, expected, "\(relativePath) is out of date; regenerate with VIGIE_UPDATE_GOLDENS=1",
                       file: file, line: line)
    }

    /// The text between `<!-- begin NAME -->` and `<!-- end NAME -->` in a file, or
    /// (when updating) replaces it.
    static func checkSection(_ actual: String, named name: String, in relativePath: String,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let url = SharedFiles.repoFile(relativePath)
        let text = try String(contentsOf: url, encoding: .utf8)
        let begin = "<!-- begin \(name) -->\n", end = "<!-- end \(name) -->"
        guard let b = text.range(of: begin), let e = text.range(of: end, range: b.upperBound..<text.endIndex) else {
            XCTFail("\(relativePath) has no `\(begin.dropLast())` … `\(end)` section", file: file, line: line)
            return
        }
        if updating {
            try text.replacingCharacters(in: b.upperBound..<e.lowerBound, with: actual)
                .write(to: url, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertEqual(String(text[b.upperBound..<e.lowerBound]), actual,
                       "the `\(name)` section of \(relativePath) is out of date; regenerate with VIGIE_UPDATE_GOLDENS=1",
                       file: file, line: line)
    }
}
