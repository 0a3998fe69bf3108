"""Bahasa Indonesia (id): every word the kiosk shows a visitor in this language.

Strings a translator must check first are in CHECK (docs/translations.md).
"""

from __future__ import annotations

RTL = False

# Faces 1 (very dissatisfied, left) to 5 (very satisfied, right); the order is the same in every language.
FACES = (
    "Sangat tidak puas",
    "Tidak puas",
    "Biasa saja",
    "Puas",
    "Sangat puas",
)

TEXTS = {
    "language": "Bahasa",
    "large_text": "Teks besar",
    "privacy": "Penilaian Anda anonim; tidak ada data tentang Anda yang disimpan",
    "attract_title": "Pendapat Anda penting",
    "attract_touch": "Sentuh layar untuk menilai layanan",
    "attract_invited": "Anda dapat menilai layanan setelah selesai",
    "question": "Seberapa puas Anda dengan layanan petugas yang melayani Anda?",
    "followup_title": "Kami mohon maaf. Apa yang kurang?",
    "followup_hint": "Pilih yang sesuai, jika Anda mau",
    "send": "Kirim",
    "skip": "Lewati",
    "survey_title": "Satu pertanyaan singkat untuk membantu kami",
    "survey_progress": "Pertanyaan {n} dari {total}",
    "scale_hint": "1 terendah, 5 tertinggi",
    "thanks_title": "Terima kasih",
    "thanks_body": "Penilaian Anda telah dicatat",
    "closed_title": "Loket ini sedang tutup",
    "closed_body": "Silakan ke loket lain",
    "cooldown": "Mohon tunggu sebentar",
    "wait_invite": "Anda dapat menilai layanan setelah selesai",
    "closed": "Loket ini sedang tutup",
    "employee": "Petugas",
    "serving": "Anda menilai layanan {name}",
}

# The shipped reason codes (shared/contract.py DEFAULT_REASONS); Arabic and English come from the config.
REASONS = {
    "waiting_time": "Waktu tunggu",
    "staff_courtesy": "Sikap petugas",
    "not_resolved": "Permohonan saya tidak selesai",
    "procedure": "Prosedur rumit",
    "information": "Informasi tidak jelas",
    "facilities": "Tempat dan fasilitas",
}

CHECK = ("question", "privacy", "serving", "thanks_body", "followup_title", "FACES", "REASONS")
