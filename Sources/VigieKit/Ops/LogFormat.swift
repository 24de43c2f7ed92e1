/// How `vigie serve` writes its log lines to standard error (`--log-format`, `log_format:`
/// in vigie.yaml; docs/production.md).
package enum LogFormat: String, CaseIterable, Sendable {
    /// swift-log's own line: `time level label: fields [module] message`.
    case text
    /// One JSON object per line, keys sorted: `time`, `level`, `logger`, `message` and
    /// every metadata field (`vin`, `bundle`, `rule`, `actionId`, …).
    case json
    /// One logfmt line: `time=… level=… logger=… message="…" vin=… rule=…`.
    case logfmt

    /// The names `--log-format` and `log_format:` accept.
    package static let names = allCases.map(\.rawValue)
}
