using Workbench.Experiments.Cli;

return WorkbenchCli.Run(args, Console.Out, Console.Error);
