"""Synthetic demo data: realistic SME, mentor and buyer profiles for the seed-demo command."""

from webapp.demo.generator import generate_profile_batches, generate_profiles

__all__ = ["generate_profile_batches", "generate_profiles"]
