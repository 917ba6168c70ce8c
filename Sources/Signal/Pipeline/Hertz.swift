/// Frequencies as people write them: "50", "0.5", "1234.5678" (no trailing ".0").
func formatHertz(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(value)
}
