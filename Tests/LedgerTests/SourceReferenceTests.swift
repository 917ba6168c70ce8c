import Foundation
@testable import Ledger
import Testing

extension Ledger {
    /// Half an hour of calibration-like work on U1 that credits `reference`.
    @discardableResult
    func credit(_ reference: String?, agent: String = "a", date: String = "2026-03-01") async throws -> ContributionEvent {
        try await contribute(ContributionDraft(
            date: try LedgerDate(date), agent: agent, project: "p", kind: .work, hours: LedgerDecimal("0.5")!, workType: "eng",
            unit: "U1", note: reference, sourceReference: reference))
    }
}

/// A contribution may name what it credits (a calibration certificate): the ledger holds each such source
/// reference on one event at most, checked in the append's transaction, so one piece of work is paid once.
@Suite("A source is credited once")
struct SourceReferenceTests {
    static let certificate = "calibration certificate MQC-20260301-0000ABCD"

    @Test("a second credit of one source is refused naming the event, appends nothing, and a reversal does not free it",
          arguments: Backend.enabled)
    func creditedOnce(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: ["a", "b"])
            try await ledger.registerUnit(serial: "U1", design: "D1")
            let first = try await ledger.credit(Self.certificate)
            #expect(first.sourceReference == Self.certificate)
            #expect(try await ledger.store.event(first.id) == first)
            #expect(try await ledger.store.event(sourceReference: Self.certificate) == first)
            // Whoever asks, on whatever day: the same source is the same work.
            for (agent, date) in [("a", "2026-03-01"), ("b", "2026-04-02")] {
                await #expect(throws: LedgerError.duplicate("\(Self.certificate) is already credited as event 1")) {
                    try await ledger.credit(Self.certificate, agent: agent, date: date)
                }
            }
            #expect(try await ledger.store.events(project: nil) == [first])

            // Other sources, and contributions naming none, are unaffected.
            let other = try await ledger.credit("calibration certificate MQC-20260301-0000ABCE")
            try await ledger.credit(nil)
            try await ledger.credit(nil)
            await #expect(throws: LedgerError.invalid("source reference is empty")) { try await ledger.credit("") }
            // The store refuses it too, for a caller that appends without `contribute`'s checks.
            await #expect(throws: LedgerError.invalid("source reference is empty")) {
                try await ledger.store.append(EventRecord(
                    date: try LedgerDate("2026-03-01"), agent: "a", project: "p", kind: .material, value: 100, sourceReference: ""))
            }

            // Correcting the credit reverses it; the reversal credits nothing, and the source stays credited.
            let reversal = try await ledger.reverse(event: first.id, date: try LedgerDate("2026-03-02"), note: "wrong unit")
            #expect(reversal.sourceReference == nil)
            await #expect(throws: LedgerError.duplicate("\(Self.certificate) is already credited as event 1")) {
                try await ledger.credit(Self.certificate)
            }
            #expect(try await ledger.store.events(project: nil).map(\.id) == [1, other.id, 3, 4, reversal.id])
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 5, problem: nil))

            // The ValueFlows export names the source on the credit's event, and on no other.
            let export = try JSONSerialization.jsonObject(with: Data(try await ledger.exportValueFlows().utf8)) as? [String: Any]
            let events = try #require(export?["economicEvents"] as? [[String: Any]])
            let sourced = events.filter { $0["mosquito:sourceReference"] != nil }
            #expect(sourced.map { $0["@id"] as? String } == ["event:1", "event:\(other.id)"])
            #expect(sourced.first?["mosquito:sourceReference"] as? String == Self.certificate)
        }
    }

    @Test("the reference is part of the event: hashed, encoded when present, absent from events without one",
          arguments: Backend.enabled)
    func referenceIsHashed(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            try await ledger.network(agents: ["a"])
            try await ledger.registerUnit(serial: "U1", design: "D1")
            let plain = try await ledger.credit(nil)
            let credited = try await ledger.credit(Self.certificate)
            // An event without a reference hashes exactly as before references existed.
            var unreferenced = credited.record
            unreferenced.sourceReference = nil
            #expect(credited.hash != HashChain.hash(seq: credited.id, record: unreferenced, previous: credited.previousHash))
            let json = { (e: ContributionEvent) in String(decoding: try JSONEncoder().encode(e), as: UTF8.self) }
            #expect(try !json(plain).contains("sourceReference"))
            #expect(try json(credited).contains(#""sourceReference":"\#(Self.certificate)""#))
            #expect(try JSONDecoder().decode(ContributionEvent.self, from: Data(try json(credited).utf8)) == credited)

            // Moving the credit to another certificate (to credit the first one again) breaks the chain.
            try await database.transaction { s throws(LedgerError) in
                try await s.execute("UPDATE events SET source_reference = 'calibration certificate X' WHERE seq = 2", [])
            }
            #expect(try await ledger.store.verifyChain().problem == "event 2 was edited (hash mismatch)")
        }
    }

    @Test("one batch may not hold a source twice, and the unique key refuses a row written around the check",
          arguments: Backend.enabled)
    func batchAndKey(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            try await ledger.network(agents: ["a"])
            let record = EventRecord(date: try LedgerDate("2026-03-01"), agent: "a", project: "p", kind: .cash, value: 100,
                                     sourceReference: Self.certificate)
            await #expect(throws: LedgerError.duplicate("\(Self.certificate) is already credited as event 1")) {
                _ = try await ledger.store.append([record, record])
            }
            #expect(try await ledger.store.events(project: nil).isEmpty)
            let stored = try await ledger.store.append(record)
            // A writer that skips the store's look-up (another program, a hand-made import) meets the index.
            await #expect(throws: LedgerError.self) {
                try await database.transaction { s throws(LedgerError) in
                    try await s.execute("""
                        INSERT INTO events (seq, date, agent, project, kind, value, recorded_at, previous_hash, hash, source_reference)
                        VALUES (2, '2026-03-01', 'a', 'p', 'cash', 100, 'x', '\(stored.hash)', 'h', ?)
                        """, [.text(Self.certificate)])
                }
            }
            #expect(try await ledger.store.events(project: nil) == [stored])
        }
    }

    @Test("two connections crediting the same sources at once: each source is credited exactly once",
          arguments: Backend.enabled)
    func racingCredits(backend: Backend) async throws {
        try await withTwoLedgers(backend) { first, second in
            try await first.network(agents: ["a"])
            try await first.registerUnit(serial: "U1", design: "D1")
            let references = (1...5).map { "calibration certificate MQC-20260301-\($0)" }
            let outcomes = await withTaskGroup(of: (String, Result<Int64, LedgerError>).self) { group in
                for reference in references {
                    for ledger in [first, second, first, second, first, second] {
                        group.addTask {
                            do throws(LedgerError) {
                                let event = try await ledger.contribute(ContributionDraft(
                                    date: try LedgerDate("2026-03-01"), agent: "a", project: "p", kind: .work,
                                    hours: LedgerDecimal("0.5")!, workType: "eng", unit: "U1", sourceReference: reference))
                                return (reference, .success(event.id))
                            } catch { return (reference, .failure(error)) }
                        }
                    }
                }
                return await group.reduce(into: [(String, Result<Int64, LedgerError>)]()) { $0.append($1) }
            }
            let events = try await second.store.events(project: nil)
            #expect(events.count == references.count)
            for reference in references {
                let holder = try #require(events.first { $0.sourceReference == reference }, "\(reference)")
                let attempts = outcomes.filter { $0.0 == reference }.map(\.1)
                #expect(attempts.filter { (try? $0.get()) == holder.id }.count == 1, "\(reference)")
                for case .failure(let error) in attempts {
                    #expect(error == .alreadyCredited(reference, event: holder.id))
                }
            }
            #expect(try await first.store.verifyChain() == ChainReport(events: references.count, problem: nil))
        }
    }

    @Test("a ledger from before migration 9 migrates: its events keep their hashes and take references after",
          arguments: Backend.enabled)
    func migration(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            try await ledger.network(agents: ["a"])
            try await ledger.registerUnit(serial: "U1", design: "D1")
            try await ledger.credit(nil)
            try await database.transaction { s throws(LedgerError) in
                try await s.execute("DROP INDEX events_by_source_reference", [])
                try await s.execute("ALTER TABLE events DROP COLUMN source_reference", [])
                try await s.execute("DELETE FROM schema_migrations WHERE version = 9", [])
            }
            let migrated = Ledger(store: try await SQLLedgerStore(database: database))
            #expect(try await migrated.store.verifyChain() == ChainReport(events: 1, problem: nil))
            try await migrated.credit(Self.certificate)
            await #expect(throws: LedgerError.alreadyCredited(Self.certificate, event: 2)) { try await migrated.credit(Self.certificate) }
            #expect(try await migrated.store.verifyChain() == ChainReport(events: 2, problem: nil))
        }
    }
}
