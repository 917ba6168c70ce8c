// libFuzzer entry point for the MWP/1 Swift codec: built by mk/fuzz.mk with
//   swiftc -parse-as-library -sanitize=fuzzer,address Sources/MWP/*.swift Tests/CodecCrossCheckTests/FuzzChecks.swift
// (SwiftPM executables rename `main`, which libFuzzer must provide, so this is not a SwiftPM target).
@_cdecl("LLVMFuzzerTestOneInput")
public func mwpFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    if let failure = FuzzChecks.check(input) {
        fatalError("MWP fuzz property violated: \(failure)")
    }
    return 0
}
