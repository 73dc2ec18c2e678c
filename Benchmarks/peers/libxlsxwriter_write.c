/*
 * libxlsxwriter writing, the C peer of `tilsyn-bench write-xlsx` / `write-templates`:
 *
 *     libxlsxwriter_write large OUT ROWS COLS     one sheet, constant_memory mode
 *     libxlsxwriter_write templates DIR N         N small audit templates
 *
 * Prints "cells=N". The content is the same, value for value, as Sources/tilsyn-bench/Write.swift and
 * peers/xlsxwriter_write.py write. Built by harness.py with `cc -O2 ... -lxlsxwriter` (Debian libxlsxwriter-dev).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsxwriter.h"

static const char *VOCABULARY[] = {
    "Ja", "Nej", "Ikke relevant", "Afventer", "Godkendt", "Afvist", "Under behandling", "Lukket", "Åben",
    "Høring", "Påbud", "Tilsyn", "Bemærkning", "Opfølgning", "Frist overskredet", "Kvalitetssikring",
};
static const char *UNITS[] = {
    "Afdeling Nord", "Afdeling Syd", "Område Øst", "Område Vest", "Plejecenter Åparken", "Bostedet Søholm",
    "Hjemmeplejen Ærø", "Dagcentret Fælledgården", "Skolen ved Søen", "Sundhedshuset Køge",
};
static const char *EFFORTS[] = {"Hjemmepleje", "Plejecenter", "Botilbud", "Dagtilbud"};
static const char *LEVELS[] = {"Basis", "Udvidet", "Skærpet"};
static const char *REVIEWERS[] = {"Anne Sørensen", "Bjørn Læssøe", "Carsten Ølgaard", "Dorthe Åberg", "Else Mærsk"};
static const char *STEMS[] = {
    "Er der udarbejdet en skriftlig procedure for", "Bliver der fulgt op på", "Er medarbejderne instrueret i",
    "Foreligger der dokumentation for", "Er ledelsen orienteret om", "Er borgerens ønsker til",
};
static const char *TOPICS[] = {
    "magtanvendelse", "medicinhåndtering", "underretninger", "handleplaner", "børnesamtaler", "samvær", "klager",
    "tavshedspligt",
};
static const char *ANSWERS[] = {"Ja", "Nej", "Ikke relevant", NULL};

/* The civil date `days` after 1970-01-01 (H. Hinnant's algorithm). */
static void civil(long days, int *year, int *month, int *day) {
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(yoe + era * 400 + (*month <= 2 ? 1 : 0));
}

static void check(lxw_error error, const char *what) {
    if (error != LXW_NO_ERROR) {
        fprintf(stderr, "libxlsxwriter_write: %s: %s\n", what, lxw_strerror(error));
        exit(1);
    }
}

static long large(const char *path, long rows, long columns) {
    lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
    lxw_workbook *workbook = workbook_new_opt(path, &options);
    if (workbook == NULL) check(LXW_ERROR_CREATING_XLSX_FILE, path);
    lxw_format *date_format = workbook_add_format(workbook);
    format_set_num_format(date_format, "dd-mm-yyyy");
    lxw_format *datetime_format = workbook_add_format(workbook);
    format_set_num_format(datetime_format, "dd-mm-yyyy hh:mm");
    lxw_worksheet *sheet = workbook_add_worksheet(workbook, "Data");
    char text[32];
    for (long row = 0; row < rows; row++) {
        for (long column = 0; column < columns; column++) {
            lxw_datetime when;
            switch (column % 10) {
            case 0: worksheet_write_number(sheet, row, column, (double)row, NULL); break;
            case 1: worksheet_write_number(sheet, row, column, row * 1.25 + 0.1, NULL); break;
            case 2: worksheet_write_string(sheet, row, column, VOCABULARY[row % 16], NULL); break;
            case 3:
                snprintf(text, sizeof text, "Sag-%ld", row);
                worksheet_write_string(sheet, row, column, text, NULL);
                break;
            case 4:
            case 5:
                civil(18262 + row % 3650, &when.year, &when.month, &when.day);
                when.hour = 0;
                when.min = 0;
                when.sec = 0;
                if (column % 10 == 5) {
                    long seconds = row % 86400;
                    when.hour = (int)(seconds / 3600);
                    when.min = (int)(seconds / 60 % 60);
                    when.sec = (double)(seconds % 60);
                }
                worksheet_write_datetime(sheet, row, column, &when, column % 10 == 4 ? date_format : datetime_format);
                break;
            case 6: worksheet_write_boolean(sheet, row, column, row % 2 == 0, NULL); break;
            case 7: worksheet_write_number(sheet, row, column, (double)(row * 7 % 1000), NULL); break;
            case 8: worksheet_write_number(sheet, row, column, row / 3.0, NULL); break;
            default: worksheet_write_string(sheet, row, column, VOCABULARY[(row * 7) % 10], NULL); break;
            }
        }
    }
    check(workbook_close(workbook), path);
    return rows * columns;
}

static long template(const char *path, int number) {
    lxw_workbook *workbook = workbook_new(path);
    if (workbook == NULL) check(LXW_ERROR_CREATING_XLSX_FILE, path);
    lxw_format *bold = workbook_add_format(workbook);
    format_set_bold(bold);
    lxw_format *wrap = workbook_add_format(workbook);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    lxw_format *date_format = workbook_add_format(workbook);
    format_set_num_format(date_format, "dd-mm-yyyy");
    lxw_format *header = workbook_add_format(workbook);
    format_set_bold(header);
    format_set_bg_color(header, 0xDDEBF7);
    format_set_border(header, LXW_BORDER_THIN);
    lxw_worksheet *sheet = workbook_add_worksheet(workbook, "Tilsyn");
    const double widths[] = {14, 60, 14, 40};
    for (int column = 0; column < 4; column++) worksheet_set_column(sheet, column, column, widths[column], NULL);

    char text[160];
    long cells = 0;
    const char *labels[] = {"Sagsnummer", "Enhed", "Indsats", "Niveau", "Runde", "Reviewer", "Dato"};
    for (int row = 0; row < 7; row++) worksheet_write_string(sheet, row, 0, labels[row], bold);
    snprintf(text, sizeof text, "2024-%04d", number);
    worksheet_write_string(sheet, 0, 1, text, NULL);
    worksheet_write_string(sheet, 1, 1, UNITS[number % 10], NULL);
    worksheet_write_string(sheet, 2, 1, EFFORTS[number % 4], NULL);
    worksheet_write_string(sheet, 3, 1, LEVELS[number % 3], NULL);
    worksheet_write_number(sheet, 4, 1, number % 4 + 1, NULL);
    worksheet_write_string(sheet, 5, 1, REVIEWERS[number % 5], NULL);
    lxw_datetime date = {2024, 1, 1 + number % 31, 0, 0, 0};
    worksheet_write_datetime(sheet, 6, 1, &date, date_format);
    cells += 14;
    const char *titles[] = {"id", "spørgsmål", "svar", "bemærkning"};
    for (int column = 0; column < 4; column++) worksheet_write_string(sheet, 8, column, titles[column], header);
    cells += 4;
    int questions = 42 + number % 7;
    for (int index = 0; index < questions; index++) {
        int row = 9 + index;
        snprintf(text, sizeof text, "%c.%d", "ABCDEF"[index / 9], index % 9 + 1);
        worksheet_write_string(sheet, row, 0, text, NULL);
        snprintf(text, sizeof text, "%s %s?", STEMS[(number + index) % 6], TOPICS[(number * 3 + index) % 8]);
        worksheet_write_string(sheet, row, 1, text, wrap);
        cells += 2;
        if ((number + index) % 10 != 0) {
            worksheet_write_string(sheet, row, 2, ANSWERS[(number + index) % 3], NULL);
            cells += 1;
        }
    }
    lxw_data_validation validation;
    memset(&validation, 0, sizeof validation);
    validation.validate = LXW_VALIDATION_TYPE_LIST;
    validation.value_list = (char **)ANSWERS;
    validation.input_title = "Svar";
    validation.input_message = "Vælg Ja, Nej eller Ikke relevant";
    worksheet_data_validation_range(sheet, 9, 2, 8 + questions, 2, &validation);
    check(workbook_close(workbook), path);
    return cells;
}

int main(int argc, char **argv) {
    long cells = 0;
    if (argc == 5 && strcmp(argv[1], "large") == 0) {
        cells = large(argv[2], atol(argv[3]), atol(argv[4]));
    } else if (argc == 4 && strcmp(argv[1], "templates") == 0) {
        char path[4096];
        int count = atoi(argv[3]);
        for (int number = 0; number < count; number++) {
            snprintf(path, sizeof path, "%s/%04d.xlsx", argv[2], number);
            cells += template(path, number);
        }
    } else {
        fprintf(stderr, "usage: libxlsxwriter_write large OUT ROWS COLS | templates DIR N\n");
        return 2;
    }
    printf("cells=%ld\n", cells);
    return 0;
}
