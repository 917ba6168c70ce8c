import MosquitoModel

/// The per-device tables: gaps, events and clock exchanges (read whole; they are small).
extension HDF5RecordingReader {
    public func gaps(device: Int) throws(RecordingError) -> [Gap] {
        typealias G = RecordingLayout.Gaps
        return try reading { () throws(HDF5Error) in
            let first = try readTable(device, "\(G.group)/\(G.firstMissingIndex)", zero: UInt64(0), type: .nativeUInt64())
            let count = try readTable(device, "\(G.group)/\(G.count)", zero: UInt64(0), type: .nativeUInt64())
            let cause = try readStrings(device, "\(G.group)/\(G.cause)", width: G.causeBytes)
            return (0..<min(first.count, count.count, cause.count)).map {
                Gap(firstMissingIndex: first[$0], count: count[$0], cause: GapCause(rawValue: cause[$0]) ?? .transportGap)
            }
        }
    }

    public func events(device: Int) throws(RecordingError) -> [RecordingEvent] {
        typealias E = RecordingLayout.Events
        return try reading { () throws(HDF5Error) in
            let index = try readTable(device, "\(E.group)/\(E.sampleIndex)", zero: UInt64(0), type: .nativeUInt64())
            let time = try readTable(device, "\(E.group)/\(E.hostTime)", zero: Int64(0), type: .nativeInt64())
            let kind = try readStrings(device, "\(E.group)/\(E.kind)", width: E.kindBytes)
            let detail = try readStrings(device, "\(E.group)/\(E.detail)", width: E.detailBytes)
            return (0..<min(index.count, time.count, kind.count, detail.count)).map {
                RecordingEvent(sampleIndex: index[$0], hostTimeNs: time[$0], kind: kind[$0], detail: detail[$0])
            }
        }
    }

    public func clockExchanges(device: Int) throws(RecordingError) -> [ClockExchange] {
        typealias C = RecordingLayout.Clock
        return try reading { () throws(HDF5Error) in
            let send = try readTable(device, "\(C.group)/\(C.hostSend)", zero: Int64(0), type: .nativeInt64())
            let receive = try readTable(device, "\(C.group)/\(C.hostReceive)", zero: Int64(0), type: .nativeInt64())
            let deviceTime = try readTable(device, "\(C.group)/\(C.deviceTime)", zero: UInt64(0), type: .nativeUInt64())
            let roundTrip = try readTable(device, "\(C.group)/\(C.roundTrip)", zero: Int64(0), type: .nativeInt64())
            return (0..<min(send.count, receive.count, deviceTime.count, roundTrip.count)).map {
                ClockExchange(hostSendNs: send[$0], hostReceiveNs: receive[$0],
                              deviceTimeUs: deviceTime[$0], roundTripNs: roundTrip[$0])
            }
        }
    }
}
