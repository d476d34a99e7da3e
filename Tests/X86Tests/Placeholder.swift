import Testing

@Test func placeholderX86Tests() { #expect(true) }
