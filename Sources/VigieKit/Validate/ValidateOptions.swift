import RuleLanguage

/// The options of `vigie validate`.
package struct ValidateOptions: Sendable {
    package var paths: [String]
    package var format: DiagnosticFormat
    /// Warnings count as errors.
    package var strict: Bool
    /// Diagnostics shown at most; 0 shows all.
    package var maxDiagnostics: Int
    /// `--config FILE`: the configuration whose notification channels the bundles' channel
    /// names must be among (nil: syntax and rules only).
    package var configPath: String?
    /// The channel names to check against (read from `configPath` by `Validate.run`).
    package var channels: [String]?

    package init(paths: [String], format: DiagnosticFormat = .text, strict: Bool = false, maxDiagnostics: Int = 100,
                configPath: String? = nil, channels: [String]? = nil) {
        self.paths = paths
        self.format = format
        self.strict = strict
        self.maxDiagnostics = maxDiagnostics
        self.configPath = configPath
        self.channels = channels
    }
}
