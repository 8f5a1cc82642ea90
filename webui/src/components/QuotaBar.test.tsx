/* The mailbox bar: its words ("1.2 MiB of 1024 MiB", "no limit"), where
 * it turns amber and red, that the words say so too, and what screen
 * readers get (a meter with its value and maximum). */
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { failOnConsoleErrors } from "../test/console";
import { QuotaBar, quotaUse } from "./QuotaBar";

const MiB = 1024 * 1024;

failOnConsoleErrors();

describe("quotaUse", () => {
  it("says how much of the quota is used, in human sizes", () => {
    expect(quotaUse(1_258_291, 1024)).toMatchObject({ label: "1.2 MiB of 1024 MiB", level: "ok", warning: null, max: 1024 * MiB });
    expect(quotaUse(0, 500).label).toBe("0 B of 500 MiB");
  });
  it("says no limit for a quota of 0, with no maximum", () => {
    expect(quotaUse(3 * MiB, 0)).toEqual({ label: "3.0 MiB used, no limit", level: "ok", warning: null, percent: null, max: null });
  });
  it("turns amber above 80 % and red above 95 %, full at 100 %", () => {
    expect(quotaUse(80 * MiB, 100).level).toBe("ok");
    expect(quotaUse(80 * MiB + 1, 100)).toMatchObject({ level: "filling", warning: "over 80 % used" });
    expect(quotaUse(95 * MiB, 100).level).toBe("filling");
    expect(quotaUse(95 * MiB + 1, 100)).toMatchObject({ level: "almost-full", warning: "almost full" });
    expect(quotaUse(100 * MiB, 100)).toMatchObject({ level: "full", warning: "full", percent: 100 });
    expect(quotaUse(120 * MiB, 100).percent).toBe(100);
  });
});

describe("QuotaBar", () => {
  it("is a meter with its value, maximum and words", () => {
    render(<QuotaBar usedBytes={1_258_291} quotaMb={1024} label="Mailbox of alice" />);
    const meter = screen.getByRole("meter", { name: "Mailbox of alice" });
    expect(meter).toHaveAttribute("aria-valuenow", "1258291");
    expect(meter).toHaveAttribute("aria-valuemax", String(1024 * MiB));
    expect(meter).toHaveAttribute("aria-valuetext", "1.2 MiB of 1024 MiB");
    expect(screen.getByTestId("quota-text")).toHaveTextContent("1.2 MiB of 1024 MiB");
    expect(screen.getByTestId("quota")).toHaveAttribute("data-level", "ok");
  });

  it("says in words when it is amber or red, not by colour only", () => {
    const { rerender } = render(<QuotaBar usedBytes={90 * MiB} quotaMb={100} label="Mailbox" />);
    expect(screen.getByTestId("quota-text")).toHaveTextContent("90.0 MiB of 100 MiB — over 80 % used");
    expect(screen.getByRole("meter").firstElementChild).toHaveClass("bg-amber-500");
    rerender(<QuotaBar usedBytes={99 * MiB} quotaMb={100} label="Mailbox" />);
    expect(screen.getByTestId("quota-text")).toHaveTextContent("99.0 MiB of 100 MiB — almost full");
    expect(screen.getByRole("meter")).toHaveAttribute("aria-valuetext", "99.0 MiB of 100 MiB (almost full)");
    expect(screen.getByRole("meter").firstElementChild).toHaveClass("bg-red-600");
    rerender(<QuotaBar usedBytes={101 * MiB} quotaMb={100} label="Mailbox" />);
    expect(screen.getByTestId("quota-text")).toHaveTextContent("— full");
    expect(screen.getByRole("meter")).toHaveAttribute("aria-valuenow", String(100 * MiB));
  });

  it("has no meter without a limit", () => {
    render(<QuotaBar usedBytes={0} quotaMb={0} label="Mailbox" />);
    expect(screen.queryByRole("meter")).not.toBeInTheDocument();
    expect(screen.getByText("0 B used, no limit")).toBeInTheDocument();
  });
});
