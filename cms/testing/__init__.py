"""What only the test suite installs (see cms.testing.settings): page types that exercise
the platform without depending on a site's models."""
