"""Raw cells → published LineItem records: codes, names, units."""
