import Foundation

extension ControlPanel {
    /// The usage mistakes of `vigie pause` / `vigie resume` (exit 64), or nil.
    static func usageError(_ options: ControlOptions, command: String) -> CommandOutput? {
        func usage(_ message: String) -> CommandOutput {
            CommandOutput(stderr: "error: \(message)\nusage: see `vigie \(command) --help`\n", exitCode: 64)
        }
        switch (options.databasePath, options.configPath) {
        case (nil, nil): return usage("give --db FILE or --config FILE")
        case (.some, .some): return usage("give --db FILE or --config FILE, not both")
        default: break
        }
        for (flag, value) in [("--vin", options.vin), ("--bundle", options.bundle), ("--reason", options.reason)] {
            if let value, value.trimmingCharacters(in: .whitespaces).isEmpty { return usage("\(flag) must not be empty") }
        }
        if command == "pause" {
            if options.rule != nil { return usage("pause takes --vin and --bundle (--rule is for resuming a loop stop)") }
            if options.list, options.reason != nil { return usage("--reason makes no sense with --list") }
        } else {
            if options.list { return usage("--list belongs to `vigie pause`") }
            if options.reason != nil { return usage("--reason belongs to `vigie pause`") }
        }
        if let rule = options.rule {
            let parts = rule.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                return usage("--rule takes bundle/rule, not \"\(rule)\"")
            }
            if let bundle = options.bundle, bundle != String(parts[0]) {
                return usage("--bundle \(bundle) and --rule \(rule) name different bundles")
            }
        }
        return nil
    }
}
