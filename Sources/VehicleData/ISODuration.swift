/// ISO 8601 durations as the API writes them (`PT1H30M`, `P1DT2H`, `PT45.5S`, `P2W`),
/// e.g. the charging `remainingTime`. Years and months have no fixed length and are
/// refused, as are negative and empty durations.
public enum ISODuration {
    /// The duration in seconds, or nil when `text` is not a duration this accepts.
    public static func seconds(_ text: String) -> Double? {
        var scalars = Substring(text.uppercased())
        guard scalars.first == "P" else { return nil }
        scalars = scalars.dropFirst()
        var total = 0.0
        var inTime = false
        var sawComponent = false
        var lastRank = -1
        while !scalars.isEmpty {
            if scalars.first == "T" {
                guard !inTime else { return nil }
                inTime = true
                scalars = scalars.dropFirst()
                guard !scalars.isEmpty else { return nil }
                continue
            }
            let digits = scalars.prefix { $0.isNumber || $0 == "." || $0 == "," }
            guard !digits.isEmpty, let value = Double(digits.replacingOccurrences(",", ".")) else { return nil }
            scalars = scalars.dropFirst(digits.count)
            guard let designator = scalars.first,
                  let (rank, unit) = unit(for: designator, inTime: inTime),
                  rank > lastRank else { return nil }
            lastRank = rank
            scalars = scalars.dropFirst()
            total += value * unit
            sawComponent = true
        }
        return sawComponent && total.isFinite ? total : nil
    }

    /// (order rank, seconds per unit) of a designator; Y and M (months) are refused.
    private static func unit(for designator: Character, inTime: Bool) -> (Int, Double)? {
        switch (designator, inTime) {
        case ("W", false): return (0, 604_800)
        case ("D", false): return (1, 86_400)
        case ("H", true): return (2, 3_600)
        case ("M", true): return (3, 60)
        case ("S", true): return (4, 1)
        default: return nil
        }
    }
}

private extension Substring {
    func replacingOccurrences(_ target: Character, _ replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
