import CHDF5

/// An owned HDF5 attribute, and the typed reads and writes recordings use on any object (file, group, dataset).
struct HDF5Attribute: ~Copyable {
    let id: hid_t

    private init(id: hid_t) { self.id = id }

    deinit { HDF5.release { H5Aclose(id) } }

    private static func create(_ name: String, on object: hid_t, type: borrowing HDF5Datatype,
                               space: borrowing HDF5Dataspace) throws(HDF5Error) -> HDF5Attribute {
        HDF5Attribute(id: try HDF5.call("H5Acreate2") {
            H5Acreate2(object, name, type.id, space.id, chdf5_default(), chdf5_default())
        })
    }

    private static func open(_ name: String, on object: hid_t) throws(HDF5Error) -> HDF5Attribute {
        HDF5Attribute(id: try HDF5.call("H5Aopen(\(name))") { H5Aopen(object, name, chdf5_default()) })
    }

    static func exists(_ name: String, on object: hid_t) throws(HDF5Error) -> Bool {
        try HDF5.call("H5Aexists") { H5Aexists(object, name) } > 0
    }

    // MARK: Writing

    static func write(_ name: String, string: String, on object: hid_t) throws(HDF5Error) {
        try write(name, strings: [string], scalar: true, on: object)
    }

    static func write(_ name: String, strings: [String], on object: hid_t) throws(HDF5Error) {
        try write(name, strings: strings, scalar: false, on: object)
    }

    private static func write(_ name: String, strings: [String], scalar: Bool, on object: hid_t) throws(HDF5Error) {
        let type = try HDF5Datatype.variableString()
        let space = scalar ? try HDF5Dataspace.scalar() : try HDF5Dataspace.simple([UInt64(strings.count)])
        let attribute = try create(name, on: object, type: type, space: space)
        try VariableStrings.withPointers(strings) { (pointers) throws(HDF5Error) in
            try HDF5.call("H5Awrite") { H5Awrite(attribute.id, type.id, pointers) }
        }
    }

    static func write(_ name: String, int64 value: Int64, on object: hid_t) throws(HDF5Error) {
        try write(name, numbers: [value], scalar: true, type: .nativeInt64(), on: object)
    }

    static func write(_ name: String, int64s values: [Int64], on object: hid_t) throws(HDF5Error) {
        try write(name, numbers: values, scalar: false, type: .nativeInt64(), on: object)
    }

    static func write(_ name: String, double value: Double, on object: hid_t) throws(HDF5Error) {
        try write(name, numbers: [value], scalar: true, type: .nativeDouble(), on: object)
    }

    private static func write<Number>(_ name: String, numbers: [Number], scalar: Bool, type: consuming HDF5Datatype,
                                      on object: hid_t) throws(HDF5Error) {
        let space = scalar ? try HDF5Dataspace.scalar() : try HDF5Dataspace.simple([UInt64(numbers.count)])
        let attribute = try create(name, on: object, type: type, space: space)
        try HDF5.call("H5Awrite") { numbers.withUnsafeBytes { H5Awrite(attribute.id, type.id, $0.baseAddress) } }
    }

    // MARK: Reading

    static func readStrings(_ name: String, on object: hid_t) throws(HDF5Error) -> [String] {
        let attribute = try open(name, on: object)
        let space = HDF5Dataspace(id: try HDF5.call("H5Aget_space") { H5Aget_space(attribute.id) })
        let count = try HDF5.call("H5Sget_simple_extent_npoints") { H5Sget_simple_extent_npoints(space.id) }
        let type = try HDF5Datatype.variableString()
        return try VariableStrings.read(count: Int(count)) { (buffer) throws(HDF5Error) in
            try HDF5.call("H5Aread(\(name))") { H5Aread(attribute.id, type.id, buffer) }
        }
    }

    static func readString(_ name: String, on object: hid_t) throws(HDF5Error) -> String {
        try readStrings(name, on: object).first ?? ""
    }

    static func readInt64s(_ name: String, on object: hid_t) throws(HDF5Error) -> [Int64] {
        try readNumbers(name, on: object, zero: Int64(0), type: .nativeInt64())
    }

    static func readDouble(_ name: String, on object: hid_t) throws(HDF5Error) -> Double {
        try readNumbers(name, on: object, zero: 0.0, type: .nativeDouble()).first ?? .nan
    }

    private static func readNumbers<Number>(_ name: String, on object: hid_t, zero: Number,
                                            type: consuming HDF5Datatype) throws(HDF5Error) -> [Number] {
        let attribute = try open(name, on: object)
        let space = HDF5Dataspace(id: try HDF5.call("H5Aget_space") { H5Aget_space(attribute.id) })
        let count = try HDF5.call("H5Sget_simple_extent_npoints") { H5Sget_simple_extent_npoints(space.id) }
        var values = [Number](repeating: zero, count: Int(count))
        try HDF5.call("H5Aread(\(name))") {
            values.withUnsafeMutableBytes { H5Aread(attribute.id, type.id, $0.baseAddress) }
        }
        return values
    }
}
