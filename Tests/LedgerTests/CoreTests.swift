import Foundation
import Ledger
import Testing

@Suite("Decimals, currencies and exact splits")
struct CoreTests {
    @Test func parsesAndPrintsDecimals() throws {
        #expect(LedgerDecimal("25.50")?.description == "25.50")
        #expect(LedgerDecimal("-0.05")?.description == "-0.05")
        #expect(LedgerDecimal("7") == LedgerDecimal("7.000"))
        for bad in ["", "1.", ".5", "1e3", "1,5", "--1", "0.1234567", "abc"] { #expect(LedgerDecimal(bad) == nil, "\(bad)") }
    }

    @Test func roundsHalfAwayFromZeroOnce() throws {
        // 1.5 h × 33.33 = 49.995 → 50.00; its reversal → -50.00.
        #expect(try LedgerDecimal.minorUnits(product: [LedgerDecimal("1.5")!, LedgerDecimal("33.33")!], exponent: 2) == 5000)
        #expect(try LedgerDecimal.minorUnits(product: [LedgerDecimal("-1.5")!, LedgerDecimal("33.33")!], exponent: 2) == -5000)
        #expect(try LedgerDecimal.minorUnits(product: [LedgerDecimal("0.333")!, LedgerDecimal("10")!], exponent: 2) == 333)
    }

    @Test func currencyAmounts() throws {
        let cad = try Currency("CAD"), jpy = try Currency("JPY")
        #expect(try cad.parse("195.00") == 19500)
        #expect(try cad.parse("195") == 19500)
        #expect(cad.format(19500) == "195.00")
        #expect(cad.format(1) == "0.01")
        #expect(try jpy.parse("1500") == 1500)
        #expect(throws: LedgerError.self) { try cad.parse("1.005") }
        #expect(throws: LedgerError.self) { try jpy.parse("1.5") }
        #expect(throws: LedgerError.self) { try Currency("cad") }
    }

    @Test func largestRemainderIsExactWithTiesToTheSmallerIndex() {
        #expect(LargestRemainder.split(10000, weights: [1, 1, 1]) == [3334, 3333, 3333])
        #expect(LargestRemainder.split(1, weights: [5, 5, 5, 5, 5, 5, 5]) == [1, 0, 0, 0, 0, 0, 0])
        #expect(LargestRemainder.split(10, weights: [1, 2, 3, 4]) == [1, 2, 3, 4])
        #expect(LargestRemainder.split(5, weights: [0, 0]) == [0, 0])
        #expect(LargestRemainder.split(2, weights: [1, 3, 3]) == [0, 1, 1])
    }

    @Test func datesAreValidated() {
        #expect(throws: LedgerError.self) { try LedgerDate("2026-02-30") }
        #expect(throws: LedgerError.self) { try LedgerDate("26-01-01") }
        #expect((try? LedgerDate("2028-02-29")) != nil)
        // Read byte by byte: a sign, a short field, a trailing byte or non-ASCII digits are not a date.
        for text in ["2026-+1-05", "2026-1-050", "2026-01-05x", "2026-01-5", "２０２６-01-01", "2026/01/05", "0000-01-01", ""] {
            #expect(throws: LedgerError.self, "\(text)") { try LedgerDate(text) }
        }
    }
}

@Suite("Value equation validation")
struct EquationValidationTests {
    func load(_ buckets: String, mode: String = "straight") throws(LedgerError) -> ValueEquation {
        try ValueEquation.load(json: Data("""
            {"format": "mosquito-value-equation/1", "project": "p", "version": 1, "mode": "\(mode)", "buckets": [\(buckets)]}
            """.utf8))
    }

    func message(_ buckets: String, mode: String = "straight") -> String? {
        do { _ = try load(buckets, mode: mode); return nil } catch { return error.description }
    }

    @Test func acceptsTheExampleFile() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/mosquito-equation.json")
        let equation = try ValueEquation.load(json: try Data(contentsOf: url))
        #expect(equation.buckets.map(\.id) == ["custodian-fee", "build", "design", "community"])
        #expect(try ValueEquation.load(json: Data(Ledger.demoEquationJSON.utf8)) == equation)
    }

    @Test func refusesOver100Percent() {
        #expect(message("""
            {"id": "a", "percent": "60", "agent": "x"}, {"id": "b", "percent": "40.5", "agent": "y"}
            """) == "value equation: straight buckets add up to 100.5 %, more than 100 %")
        #expect(message(#"{"id": "a", "percent": "101", "agent": "x"}"#, mode: "remaining")
                == "value equation: bucket 'a': percent 101 is not in (0, 100]")
        // Remaining buckets each take a share of what is left, so their sum may exceed 100.
        #expect(message(#"{"id": "a", "percent": "60", "agent": "x"}, {"id": "b", "percent": "60", "agent": "y"}"#,
                        mode: "remaining") == nil)
    }

    @Test func clearErrorsForMalformedBuckets() {
        #expect(message(#"{"id": "a", "percent": 12.5, "agent": "x"}"#)?.contains("write decimals as strings") == true)
        #expect(message(#"{"id": "a", "percent": "10"}"#) == "value equation: bucket 'a': give exactly one of 'agent' or 'filter'")
        #expect(message(#"{"id": "a", "percent": "10", "filter": {"kind": "unit"}}"#)
                == "value equation: bucket 'a': a filter bucket needs rules")
        #expect(message(#"{"id": "a", "percent": "10", "filter": {"kind": "moon"}, "rules": []}"#)?
                    .contains("unknown filter kind 'moon'") == true)
        #expect(message(#"{"id": "a", "percent": "10", "filter": {"kind": "design", "lineage_weight": "1"}, "rules": [{"event": "work", "claim": "equity"}]}"#)?
                    .contains("lineage_weight 1 must be in [0, 1)") == true)
        #expect(message(#"{"id": "a", "percent": "10", "filter": {"kind": "unit"}, "rules": [{"event": "work", "claim": "forever"}]}"#)?
                    .contains("rules[0].claim") == true)
        #expect(message(#"{"id": "a", "percent": "10", "filter": {"kind": "project_dates", "from": "2026-05-01", "to": "2026-01-01"}, "rules": [{"event": "cash", "claim": "debt"}]}"#)
                == "value equation: bucket 'a': project_dates ends (2026-01-01) before it starts (2026-05-01)")
        #expect(message(#"{"id": "a", "percent": "5", "agent": "x"}, {"id": "a", "percent": "5", "agent": "y"}"#)
                == "value equation: bucket id 'a' is used twice")
        #expect(message(#"{"id": "a", "percent": "10", "filter": {"kind": "unit"}, "rules": [{"event": "work", "claim": "debt"}, {"event": "work", "claim": "once"}]}"#)
                == "value equation: bucket 'a': two rules for 'work' events")
    }
}

@Suite("Schema migrations")
struct MigrationTests {
    @Test func migrationsApplyOnceAndAreRecorded() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-m-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let database = try SQLiteDatabase(path: path)
        _ = try await SQLLedgerStore(database: database)
        _ = try await SQLLedgerStore(database: database)  // reopening applies nothing twice
        let versions = try await database.transaction { s throws(LedgerError) in
            try await s.query("SELECT version FROM schema_migrations ORDER BY version", [])
        }
        #expect(versions == [[.integer(1)], [.integer(2)], [.integer(3)], [.integer(4)], [.integer(5)], [.integer(6)], [.integer(7)], [.integer(8)], [.integer(9)]])
        await database.close()
    }

    @Test func aLedgerFromANewerMosquitoIsRefusedUntouched() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-n-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let database = try SQLiteDatabase(path: path)
        _ = try await SQLLedgerStore(database: database)
        try await database.transaction { s throws(LedgerError) in
            try await s.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (99, '2030-01-01T00:00:00Z')", [])
        }
        await #expect(throws: LedgerError.storage(
            "this ledger has schema version 99, newer than this mosquito understands (9); upgrade mosquito to use it")) {
            _ = try await SQLLedgerStore(database: database)
        }
        let versions = try await database.transaction { s throws(LedgerError) in
            try await s.query("SELECT version FROM schema_migrations ORDER BY version", [])
        }
        #expect(versions == [[.integer(1)], [.integer(2)], [.integer(3)], [.integer(4)], [.integer(5)], [.integer(6)], [.integer(7)], [.integer(8)], [.integer(9)], [.integer(99)]])
        await database.close()
    }
}
