//! Synthetic factory sensor readings and inspections, as the crash course generates them.
