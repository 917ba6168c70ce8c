import Foundation
import MosquitoModel
import Testing
@testable import Recording

@Suite struct HDF5WriterTests {
    @Test func h5pyReadsValuesAttributesAndTables() throws {
        let path = Fixtures.temporaryPath("run.h5")
        let devices = [Fixtures.device(serial: "MQ-1", channels: 3), Fixtures.device(serial: "MQ/2", channels: 2, rate: 500)]
        let writer = try HDF5RecordingWriter(path: path, header: Fixtures.header(devices), options: .init(compress: true, deflateLevel: 6))
        let a1 = try Fixtures.block(first: 0, count: 700, channels: 3)
        let a2 = try Fixtures.block(first: 800, count: 600, channels: 3)
        let b1 = try Fixtures.block(first: 0, count: 5, channels: 2)
        try writer.append(a1, device: 0)
        try writer.record(Gap(firstMissingIndex: 700, count: 100, cause: .crcError), device: 0)
        try writer.append(a2, device: 0)
        try writer.append(b1, device: 1)
        try writer.record(RecordingEvent(sampleIndex: 3, hostTimeNs: 42, kind: "marker", detail: "stimulus ✓ on"), device: 1)
        try writer.record(ClockExchange(hostSendNs: 10, hostReceiveNs: 30, deviceTimeUs: 5, roundTripNs: 20), device: 0)
        try writer.close(stopTime: Date(timeIntervalSince1970: 1_790_000_060))

        struct Report: Decodable {
            let format: String, version: Int, software: String, host: String, start: String, stop: String
            let commandLine: String, uris: [String], groups: [String]
            let serial: String, design: String, hw: String, fw: String, rate: Double, pipeline: [String]
            let decimation: Int, decimationDtype: String
            let names: [String], kinds: [String], units: [String], bits: [Int], rawMin: [Int], rawMax: [Int]
            let valueNames: [String], valueUnits: [String]
            let rawShape: [Int], rawDtype: String, valuesDtype: String, indexDtype: String, hostDtype: String
            let chunks: [Int], compression: String?, level: Int?, shuffle: Bool, maxshape: [Int?]
            let valuesEqual: Bool, rawEqual: Bool, index: [Int], deviceTimeFirst: Int, hostTimeLast: Int
            let gapFirst: [Int], gapCount: [Int], gapCause: [String]
            let eventKind: [String], eventDetail: [String], eventIndex: [Int]
            let clockRoundTrip: [Int], clockSend: [Int]
            let calChannel: [String], calCoefficients: [[Double]], calCert: [String], calTech: [String], calAt: [String]
            let otherRows: Int
        }
        let script = """
        import h5py, json, sys, numpy as np
        f = h5py.File(sys.argv[1], "r")
        d = f["devices/MQ-1"]; v = d["values"]; r = d["raw"]
        idx = np.concatenate([np.arange(0, 700), np.arange(800, 1400)]).astype(np.uint64)
        expect_raw = (idx.astype(np.int64)[:, None] * 7 + np.arange(3)[None, :] * 1000 - 30000).astype(np.int32)
        expect_val = 0.1 * expect_raw.astype(np.float64) + 1.0 / (np.arange(3)[None, :] + 3) + idx.astype(np.float64)[:, None] * 1e-9
        s = lambda a: [x.decode() if isinstance(x, bytes) else str(x) for x in a]
        print(json.dumps(dict(
          format=f.attrs["format"], version=int(f.attrs["format_version"]), software=f.attrs["software_version"],
          host=f.attrs["host"], start=f.attrs["start_time"], stop=f.attrs["stop_time"],
          commandLine=f.attrs["command_line"], uris=s(f.attrs["device_uris"]), groups=sorted(f["devices"].keys()),
          serial=d.attrs["serial"], design=d.attrs["design"], hw=d.attrs["hardware_revision"], fw=d.attrs["firmware_version"],
          rate=float(d.attrs["rate_hz"]), pipeline=s(d.attrs["pipeline"]),
          decimation=int(d.attrs["decimation"]), decimationDtype=str(d.attrs["decimation"].dtype),
          names=s(d.attrs["channel_names"]), kinds=s(d.attrs["channel_kinds"]), units=s(d.attrs["channel_units"]),
          bits=d.attrs["channel_adc_bits"].tolist(), rawMin=d.attrs["channel_raw_min"].tolist(), rawMax=d.attrs["channel_raw_max"].tolist(),
          valueNames=s(v.attrs["channel_names"]), valueUnits=s(v.attrs["channel_units"]),
          rawShape=list(r.shape), rawDtype=str(r.dtype), valuesDtype=str(v.dtype), indexDtype=str(d["index"].dtype),
          hostDtype=str(d["host_time_ns"].dtype), chunks=list(v.chunks), compression=v.compression, level=v.compression_opts, shuffle=bool(v.shuffle),
          maxshape=list(v.maxshape),
          valuesEqual=bool(np.array_equal(v[()], expect_val)), rawEqual=bool(np.array_equal(r[()], expect_raw)),
          index=[int(d["index"][0]), int(d["index"][699]), int(d["index"][700]), int(d["index"][-1])],
          deviceTimeFirst=int(d["device_time_us"][0]), hostTimeLast=int(d["host_time_ns"][-1]),
          gapFirst=d["gaps/first_missing_index"][()].tolist(), gapCount=d["gaps/count"][()].tolist(),
          gapCause=s(d["gaps/cause"][()]),
          eventKind=s(f["devices/MQ_2/events/kind"][()]), eventDetail=s(f["devices/MQ_2/events/detail"][()]),
          eventIndex=f["devices/MQ_2/events/sample_index"][()].tolist(),
          clockRoundTrip=d["clock/round_trip_ns"][()].tolist(), clockSend=d["clock/host_send_ns"][()].tolist(),
          calChannel=s(d["calibration/channel"].asstr()[()]), calCoefficients=d["calibration/coefficients"][()].tolist(),
          calCert=s(d["calibration/certificate_id"].asstr()[()]), calTech=s(d["calibration/technician"].asstr()[()]),
          calAt=s(d["calibration/calibrated_at"].asstr()[()]),
          otherRows=int(f["devices/MQ_2/values"].shape[0]),
        )))
        """
        let report = try Python.json(Report.self, script, arguments: [path])
        #expect(report.format == "mosquito-recording" && report.version == 1)
        #expect(report.software == "0.1.0" && report.host == "bench-1")
        #expect(report.start == "2026-09-21T14:13:20.250Z")
        #expect(report.stop == "2026-09-21T14:14:20.000Z")
        #expect(report.commandLine == "mosquito record --output 'run 1.h5'")
        #expect(report.uris == ["sim:MQ-1", "sim:MQ/2"])
        #expect(report.groups == ["MQ-1", "MQ_2"])
        #expect(report.serial == "MQ-1" && report.design == "mosquito-4" && report.hw == "11" && report.fw == "1.2.3")
        #expect(report.rate == 1000)
        #expect(report.pipeline == ["lowpass fc=100Hz order=2", "decimate 2"])
        #expect(report.decimation == 2 && report.decimationDtype == "int64")
        #expect(report.names == ["ch0", "ch1", "ch2"] && report.kinds == ["voltage", "current", "voltage"])
        #expect(report.units == ["V", "mA", "V"] && report.valueNames == report.names && report.valueUnits == report.units)
        #expect(report.bits == [16, 16, 16] && report.rawMin == [-32768, -32768, -32768] && report.rawMax == [32767, 32767, 32767])
        #expect(report.rawShape == [1300, 3])
        #expect(report.rawDtype == "int32" && report.valuesDtype == "float64")
        #expect(report.indexDtype == "uint64" && report.hostDtype == "int64")
        #expect(report.chunks == [1000, 3])
        #expect(report.compression == "gzip" && report.level == 6 && report.shuffle)
        #expect(report.maxshape == [nil, 3])
        #expect(report.valuesEqual && report.rawEqual)
        #expect(report.index == [0, 699, 800, 1399])
        #expect(report.deviceTimeFirst == 17 && report.hostTimeLast == 1_790_000_000_000_000_000 + 1399 * 1_000_000)
        #expect(report.gapFirst == [700] && report.gapCount == [100] && report.gapCause == ["crc_error"])
        #expect(report.eventKind == ["marker"] && report.eventDetail == ["stimulus ✓ on"] && report.eventIndex == [3])
        #expect(report.clockRoundTrip == [20] && report.clockSend == [10])
        #expect(report.calChannel == ["ch0", "ch1", "ch2"])
        #expect(report.calCoefficients[1] == [0.5, 2e-4, 0, 0])
        #expect(report.calCert == ["CERT-17", "", ""] && report.calTech == ["Ada", "Ada", "Ada"])
        #expect(report.calAt.first == "2026-05-28T20:26:40.000Z")
        #expect(report.otherRows == 5)
    }
}
