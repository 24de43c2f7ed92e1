import Foundation
import VigieKit
import VigieTestSupport
import XCTest

/// Issue 18: what the release archive ships besides the binary, made from the built
/// binary as scripts/release.sh makes it: `--version`, the bash/zsh/fish completions and
/// the man pages (rendered with `man -l`, checked by groff for warnings).
final class ReleaseArtifactsTests: XCTestCase {
    func testVersion() throws {
        let result = try CommandRunner.vigie(["--version"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        // A test build is never a release build: it prints the development version.
        XCTAssertFalse(VigieVersion.isRelease)
        XCTAssertEqual(result.stdout, VigieVersion.developmentVersion + "\n")
        XCTAssertEqual(try CommandRunner.vigie(["serve", "--version"]).stdout, VigieVersion.developmentVersion + "\n")
    }

    func testCompletionScripts() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for shell in ["bash", "zsh", "fish"] {
            let result = try CommandRunner.vigie(["--generate-completion-script", shell])
            XCTAssertEqual(result.exitCode, 0, result.stderr)
            for word in ["backup", "doctor", "serve", "dry-run", "log-format", "config"] {
                XCTAssertTrue(result.stdout.contains(word), "\(shell) completion offers \(word)")
            }
            if shell == "bash" {
                // The script parses, and completes `vigie ba<TAB>` to `backup` in a real bash.
                let script = folder.url.appendingPathComponent("vigie.bash")
                try result.stdout.write(to: script, atomically: true, encoding: .utf8)
                let check = """
                    source \(script.path)
                    fn=$(complete -p vigie | sed -E 's/.*-F ([^ ]+).*/\\1/')
                    COMP_WORDS=(vigie ba); COMP_CWORD=1; COMP_LINE='vigie ba'; COMP_POINT=8
                    "$fn" vigie ba vigie
                    printf '%s\\n' "${COMPREPLY[@]}"
                    """
                let bash = try CommandRunner.run(URL(fileURLWithPath: "/bin/bash"), ["-c", check], in: folder.url)
                XCTAssertEqual(bash.exitCode, 0, bash.stderr)
                XCTAssertTrue(bash.stdout.split(separator: "\n").contains("backup"), "bash completes ba → backup: \(bash.stdout)")
            }
        }
    }

    func testManPagesRender() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let script = SharedFiles.repositoryRoot.appendingPathComponent("scripts/manpages.py")
        let python = try CommandRunner.run(URL(fileURLWithPath: "/usr/bin/env"),
                                           ["python3", script.path, CommandRunner.vigieBinary.path, folder.url.path,
                                            "1.2.3", "2026-12-06"], in: folder.url)
        XCTAssertEqual(python.exitCode, 0, "python3 runs scripts/manpages.py: \(python.stderr)")
        let pages = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.hasSuffix(".1") }.sorted()
        for expected in ["vigie.1", "vigie-serve.1", "vigie-backup.1", "vigie-bench-engine.1", "vigie-dry-run.1"] {
            XCTAssertTrue(pages.contains(expected), "\(expected) in \(pages)")
        }
        XCTAssertFalse(pages.contains("vigie-help.1"))
        // groff reports no warning on any page (-ww: all warnings), in the C locale.
        let groff = try CommandRunner.run(URL(fileURLWithPath: "/usr/bin/env"),
                                          ["groff", "-man", "-ww", "-z"] + pages, in: folder.url, environment: ["LC_ALL": "C"])
        XCTAssertEqual(groff.exitCode, 0, "groff is installed (.ci/run installs it): \(groff.stderr)")
        XCTAssertEqual(groff.stderr, "", "groff warnings")
        // man -l renders the page a user opens.
        let man = try CommandRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["man", "-l", "vigie-serve.1"], in: folder.url,
                                        environment: ["MANWIDTH": "100", "MANPAGER": "cat", "PAGER": "cat"])
        XCTAssertEqual(man.exitCode, 0, "man is installed (.ci/run installs man-db): \(man.stderr)")
        // Words as a reader sees them: runs of blanks and line breaks as one space.
        let text = man.stdout.replacingOccurrences(of: "\u{2010}", with: "-").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for needle in ["VIGIE-SERVE(1)", "NAME", "vigie serve - Receive notifications", "SYNOPSIS", "--log-format <log-format>",
                       "Log line format: text, json or logfmt", "vigie 1.2.3"] {
            XCTAssertTrue(text.contains(needle), "man -l shows \(needle):\n\(text)")
        }
        let top = try CommandRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["man", "-l", "vigie.1"], in: folder.url,
                                        environment: ["MANWIDTH": "100", "MANPAGER": "cat", "PAGER": "cat"])
        XCTAssertTrue(top.stdout.contains("SUBCOMMANDS") && top.stdout.contains("backup"), top.stdout)
    }
}
