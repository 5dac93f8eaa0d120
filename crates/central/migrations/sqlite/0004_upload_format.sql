-- The format a completed upload was found to be, by content, when its last byte arrived and
-- every check of its material passed. NULL on uploads completed before the checks existed:
-- those are checked when an application first names them.
ALTER TABLE uploads ADD COLUMN format TEXT;
