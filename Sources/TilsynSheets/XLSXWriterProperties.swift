extension XLSXWriter {
    /// The workbook's document properties: core (`docProps/core.xml`), app (`docProps/app.xml`) and custom
    /// (`docProps/custom.xml`, written only when there are custom properties).
    public struct DocumentProperties: Sendable, Equatable {
        /// The title (Excel: File > Info > Properties).
        public var title: String?
        /// The subject.
        public var subject: String?
        /// The author.
        public var creator: String?
        /// Keywords (tags).
        public var keywords: String?
        /// Comments.
        public var description: String?
        /// The category.
        public var category: String?
        /// The company.
        public var company: String?
        /// The manager.
        public var manager: String?
        /// When the workbook was created (UTC). Omitted when nil: the writer never reads the clock, so the same
        /// input always gives the same bytes.
        public var created: DateTime?
        /// Custom properties in the order given; names must be unique.
        public var custom: [CustomProperty]

        /// Properties as given; none by default.
        public init(
            title: String? = nil, subject: String? = nil, creator: String? = nil, keywords: String? = nil,
            description: String? = nil, category: String? = nil, company: String? = nil, manager: String? = nil,
            created: DateTime? = nil, custom: [CustomProperty] = []
        ) {
            self.title = title
            self.subject = subject
            self.creator = creator
            self.keywords = keywords
            self.description = description
            self.category = category
            self.company = company
            self.manager = manager
            self.created = created
            self.custom = custom
        }
    }

    /// A named custom document property (File > Info > Properties > Custom in Excel).
    public struct CustomProperty: Sendable, Equatable {
        /// The property's typed value.
        public enum Value: Sendable, Equatable {
            /// Text.
            case string(String)
            /// A number.
            case number(Double)
            /// A 32-bit whole number.
            case integer(Int32)
            /// Yes or no.
            case bool(Bool)
        }

        /// The property's name.
        public var name: String
        /// Its value.
        public var value: Value

        /// A property named `name`.
        public init(_ name: String, _ value: Value) {
            self.name = name
            self.value = value
        }

        /// A text property.
        public static func string(_ name: String, _ value: String) -> CustomProperty {
            CustomProperty(name, .string(value))
        }
    }
}
