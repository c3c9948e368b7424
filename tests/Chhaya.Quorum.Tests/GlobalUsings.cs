// SPDX-License-Identifier: AGPL-3.0-or-later
global using G1Projective = Chhaya.Bls.Curves.Point<Chhaya.Bls.Fields.Fp, Chhaya.Bls.Curves.G1Curve>;
