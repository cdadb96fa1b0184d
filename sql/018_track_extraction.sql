-- How a resume's text was read: from the PDF's text, or by OCR of pages
-- that had none, with Tesseract's mean confidence; a low one asks for a
-- human's look before the score is trusted.
ALTER TABLE resume_tracks
	ADD COLUMN extraction text CHECK (extraction IN ('text', 'ocr')),
	ADD COLUMN ocr_confidence smallint
		CHECK (ocr_confidence BETWEEN 0 AND 100),
	ADD COLUMN needs_review boolean NOT NULL DEFAULT false;
