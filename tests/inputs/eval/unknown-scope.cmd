eval --event approval-pending --scope moon
