//! `u32_enum!`: a `#[repr(u32)]` enum whose numbers cross to JavaScript (the
//! bindings export them by name), with its list of values and the way back
//! from a number derived from the one declaration.

/// Declares a `#[repr(u32)]` enum with `ALL` (every value, in declaration
/// order), `as_u32` and `from_u32`, so that no list of its values is kept
/// by hand.
macro_rules! u32_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:expr, )*
        }
    ) => {
        $(#[$meta])*
        #[repr(u32)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant = $value, )*
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// Its number, the same on the JavaScript side.
            pub const fn as_u32(self) -> u32 {
                self as u32
            }

            /// The value whose number is `n`, if any.
            pub const fn from_u32(n: u32) -> Option<$name> {
                $( if n == $name::$variant as u32 { return Some($name::$variant); } )*
                None
            }
        }
    };
}
