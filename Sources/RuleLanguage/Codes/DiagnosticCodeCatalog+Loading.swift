// Codes of reading a file: YAML syntax, limits, keys and structure.
extension DiagnosticCodeCatalog {
    static var loading: [DiagnosticCode] {
        [
            DiagnosticCode(
                "yaml-syntax", .error, "The file is not well-formed YAML.",
                triggering: file(rule(when: "[battery.level < 20")), nonTriggering: file()),
            DiagnosticCode(
                "multiple-documents", .error, "A rule file holds exactly one YAML document.",
                triggering: file() + "---\nvigie: 1\nbundle: other\nrules: []\n", nonTriggering: file()),
            fileTooLarge,
            DiagnosticCode(
                "nesting-too-deep", .error, "Collections are nested deeper than 64 levels.",
                triggering: file(top: "description: " + String(repeating: "[", count: 65)
                                 + String(repeating: "]", count: 65) + "\n"),
                nonTriggering: file()),
            DiagnosticCode(
                "too-many-aliases", .error,
                "More than 100 YAML aliases, or aliases that expand to more than 10,000 nodes (\"billion laughs\").",
                triggering: file(top: "x-base: &b [1, 2]\nx-copies: [" + Array(repeating: "*b", count: 101)
                                 .joined(separator: ", ") + "]\n"),
                nonTriggering: file(top: "x-base: &b [1, 2]\nx-copy: *b\n")),
            DiagnosticCode(
                "too-many-rules", .error, "A file holds more than 5,000 rules.",
                triggering: "vigie: 1\nbundle: demo\nrules:\n" + (1...5_001).map {
                    "  - {id: r\($0), when: battery.level < 20, then: [notify: low]}\n"
                }.joined(),
                nonTriggering: file()),
            DiagnosticCode(
                "unsupported-yaml", .error,
                "A YAML feature rule files do not use: explicit tags, or keys that are not plain strings.",
                triggering: file(top: "description: !!binary aGVsbG8=\n"), nonTriggering: file(top: "description: hello\n")),
        ]
    }

    static var structure: [DiagnosticCode] {
        [
            DiagnosticCode(
                "unknown-key", .error, "A key the rule format does not define (with the nearest valid key).",
                triggering: file(rule(extra: "    cooldwon: 1h\n")), nonTriggering: file(rule(extra: "    cooldown: 1h\n"))),
            DiagnosticCode(
                "duplicate-key", .error, "A key appears twice in the same mapping.",
                triggering: file(rule(extra: "    when: charging.plugged\n")), nonTriggering: file()),
            DiagnosticCode(
                "missing-key", .error, "A required key is missing (`vigie`, `bundle`, `rules`, a rule's `id`, `when`, `then`).",
                triggering: "vigie: 1\nbundle: demo\nrules:\n  - id: low-battery\n    then: [notify: low]\n",
                nonTriggering: file()),
            DiagnosticCode(
                "no-rules", .error, "`rules` is an empty list: a bundle without rules deploys nothing (`enabled: false` turns a rule off).",
                triggering: "vigie: 1\nbundle: demo\nrules: []\n",
                nonTriggering: file(rule(extra: "    enabled: false\n"))),
            DiagnosticCode(
                "wrong-type", .error, "A value of the wrong kind (a list where a mapping is expected, text for a number…).",
                triggering: file(rule(extra: "    max_per_day: [2]\n")), nonTriggering: file(rule(extra: "    max_per_day: 2\n"))),
            DiagnosticCode(
                "unsupported-version", .error, "`vigie:` names a format version this Vigie does not read (only 1).",
                triggering: "vigie: 2\nbundle: demo\nrules:\n" + defaultRule, nonTriggering: file()),
            DiagnosticCode(
                "bad-bundle-name", .error, "A bundle name must match `[a-z0-9-]+` and not be `manual` (reserved for `vigie send`).",
                triggering: "vigie: 1\nbundle: EV Charging\nrules:\n" + defaultRule, nonTriggering: file()),
            DiagnosticCode(
                "bad-rule-id", .error, "A rule id must match `[a-z0-9-]+`.",
                triggering: file(rule().replacingFirst("low-battery", with: "Low_Battery")), nonTriggering: file()),
            DiagnosticCode(
                "duplicate-rule-id", .error, "Two rules of a bundle share an id.",
                triggering: file(defaultRule + defaultRule), nonTriggering: file()),
            DiagnosticCode(
                "duplicate-bundle", .error, "Two files of one deployment declare the same bundle name.",
                triggering: file(), nonTriggering: file()),
            DiagnosticCode(
                "bad-name", .error, "A zone or schedule name must match `[A-Za-z_][A-Za-z0-9_-]*` to be usable in expressions.",
                triggering: file(rule(when: "inside(\"my depot\")"),
                                 top: "zones:\n  \"my depot\": {center: {lat: 48.8, lon: 2.3}, radius: 2 km}\n"),
                nonTriggering: file(rule(when: "inside(depot)"),
                                    top: "zones:\n  depot: {center: {lat: 48.8, lon: 2.3}, radius: 2 km}\n")),
            DiagnosticCode(
                "bad-value", .error, "A value outside the allowed set (a `mode`, a day name, an `allow` entry…), with the nearest one.",
                triggering: file(rule(extra: "    mode: queue\n")), nonTriggering: file(rule(extra: "    mode: queued\n"))),
        ]
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let r = firstRange(of: target) else { return self }
        return String(self[..<r.lowerBound]) + replacement + String(self[r.upperBound...])
    }
}
